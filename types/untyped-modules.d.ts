// Packages that ship no types (STACK.md): declared here, used narrowly.
declare module 'dynalite';
declare module 's3rver';
declare module 'asl-validator';
