// Live: MinIO. Not proven here: no MinIO image or binary reaches the test machines.
import { describeUnprovenService } from '../../test/live/helpers/catalog.ts';
import { DEFAULT_MINIO_IMAGE } from './schema.ts';

describeUnprovenService('minio', DEFAULT_MINIO_IMAGE, 'MinIO is not packaged by Debian, so no honest stand-in can be built, and no registry is reachable');
