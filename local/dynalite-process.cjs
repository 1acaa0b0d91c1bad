// dynalite in a process of its own, so the store and the handlers use two cores. Started by local/stack.ts with
// fork(): it reports the port it bound over IPC, and exits when its parent goes (the IPC channel closes), so a
// killed stack never leaves the store running with its LevelDB lock held. Asked `{ stats: true }` over IPC, it
// answers its memory, the CPU time it has used and the LevelDB iterators it has open (local/dynalite-iterators.cjs closes them).
const iterators = require('./dynalite-iterators.cjs');

// RTK_DYNALITE_UNPATCHED=1 runs dynalite as published, for the test that shows what the fix closes.
iterators.install({ close: process.env.RTK_DYNALITE_UNPATCHED !== '1' });
const dynalite = require('dynalite');

const [path, port] = process.argv.slice(2);
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(port), '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (!m?.stats) return;
  const cpu = process.cpuUsage();
  process.send({
    stats: {
      openIterators: iterators.openIterators(),
      rss: process.memoryUsage().rss,
      cpuMs: (cpu.user + cpu.system) / 1000,
    },
  });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
