// Loaded before Azurite (node -r): Azurite exits when the test process that started it is gone. A test host ended by
// its runner never runs its exit handlers, and an Azurite left behind would keep its port and folder for good.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 1000).unref();
