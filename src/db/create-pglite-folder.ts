// The child process that creates a new embedded database folder (see createFolderInChild): creates it in
// the folder named by its argument, applies the migrations, and prints their names as JSON, the last line
// of its stdout.
import { createPgliteFolder } from './pglite-folder.js';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: create-pglite-folder.ts <folder>');
  process.exit(2);
}
const applied = await createPgliteFolder(folder);
process.stdout.write(`\n${JSON.stringify({ applied })}\n`);
