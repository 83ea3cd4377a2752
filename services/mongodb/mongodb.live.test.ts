// Live: MongoDB. Not proven here: no MongoDB image or binary reaches the test machines.
import { describeUnprovenService } from '../../test/live/helpers/catalog.ts';
import { DEFAULT_MONGODB_IMAGE } from './schema.ts';

describeUnprovenService('mongodb', DEFAULT_MONGODB_IMAGE, 'MongoDB is not packaged by Debian (its licence keeps it out), so no honest stand-in can be built, and no registry is reachable');
