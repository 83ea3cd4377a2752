// Live: Meilisearch. Not proven here: no Meilisearch image or binary reaches the test machines.
import { describeUnprovenService } from '../../test/live/helpers/catalog.ts';
import { DEFAULT_MEILISEARCH_IMAGE } from './schema.ts';

describeUnprovenService('meilisearch', DEFAULT_MEILISEARCH_IMAGE, 'Meilisearch is not packaged by Debian, so no honest stand-in can be built, and no registry is reachable');
