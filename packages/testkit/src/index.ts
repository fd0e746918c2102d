export { uniqueName } from './unique-name.js';
export { waitFor } from './wait-for.js';
export { freePort } from './free-port.js';
