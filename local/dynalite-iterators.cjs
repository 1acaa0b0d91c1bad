// dynalite 4.0.0 turns LevelDB iterators into streams whose destroy() calls `iterator.return()`; the iterators
// of abstract-level 3.1.1 (under classic-level) have `close()` and no `return()`, so no iterator was ever closed
// and each Query kept its native LevelDB iterator (about 28 KB) for the life of the process. This gives every
// abstract-level iterator a `return()` that closes it (as an async iterator's return does), and counts the
// iterators open, so a test can see that none is left behind. Applied at run time by local/dynalite-process.cjs:
// nothing is downloaded or patched on disk at install.
const { dirname } = require('node:path');

const open = new Set();

/** Every copy of abstract-level that dynalite's LevelDB backends load (one, as the lock file stands). */
function abstractLevels() {
  const from = dirname(require.resolve('dynalite/package.json'));
  const copies = new Set();
  for (const backend of ['classic-level', 'memory-level', 'level']) {
    let dir;
    try {
      dir = dirname(require.resolve(`${backend}/package.json`, { paths: [from] }));
    } catch {
      continue;
    }
    copies.add(require.resolve('abstract-level', { paths: [dir] }));
  }
  return [...copies].map((path) => require(path));
}

/** Count the iterators open; with `close` (the fix), give them the `return()` that closes them. */
function install({ close }) {
  for (const { AbstractLevel, AbstractKeyIterator } of abstractLevels()) {
    // AbstractIterator, AbstractKeyIterator and AbstractValueIterator share this prototype (CommonIterator).
    const iterator = Object.getPrototypeOf(AbstractKeyIterator.prototype);
    if (close && typeof iterator.return !== 'function') {
      iterator.return = async function (value) {
        await this.close();
        return { done: true, value };
      };
    }
    const level = AbstractLevel.prototype;
    const attach = level.attachResource;
    const detach = level.detachResource;
    level.attachResource = function (resource) {
      if (resource instanceof iterator.constructor) open.add(resource);
      return attach.call(this, resource);
    };
    level.detachResource = function (resource) {
      open.delete(resource);
      return detach.call(this, resource);
    };
  }
}

module.exports = { install, openIterators: () => open.size };
