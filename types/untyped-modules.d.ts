// Packages that ship no types (docs/deployment.md lists the toolchain): declared here, used narrowly.
declare module 'dynalite';
declare module 's3rver';
declare module 'asl-validator';
