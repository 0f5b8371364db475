/** `npm run chat`: the service with the local terminal chat switched on. */
import { main } from './main.js';

void main({ chat: true });
