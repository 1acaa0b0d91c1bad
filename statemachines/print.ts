import { writeFileSync } from 'node:fs';
import { aslText } from './definition.js';

/** `npm run asl:print [path]`: the workflow definition as deployed (placeholders unbound), to stdout or a file. */
const [path] = process.argv.slice(2);
if (path) writeFileSync(path, aslText());
else process.stdout.write(aslText());
