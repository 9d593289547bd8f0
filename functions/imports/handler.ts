import { importsHandler } from './api';
import { importsWiring } from './wiring';

export const handler = importsHandler(await importsWiring());
