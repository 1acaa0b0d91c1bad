import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod/mini loads no locale of its own: without this every message it writes
 * would be "Invalid input". English only (not the 64 locales classic zod
 * carries): the problem details an API caller reads say what is wrong.
 * Imported by every module that defines a schema.
 */
z.config(en());
