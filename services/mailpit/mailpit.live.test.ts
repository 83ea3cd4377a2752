// Live: Mailpit. Not proven here: no Mailpit image or binary reaches the test machines.
import { describeUnprovenService } from '../../test/live/helpers/catalog.ts';
import { DEFAULT_MAILPIT_IMAGE } from './schema.ts';

describeUnprovenService('mailpit', DEFAULT_MAILPIT_IMAGE, 'Mailpit is not packaged by Debian, so no honest stand-in can be built, and no registry is reachable');
