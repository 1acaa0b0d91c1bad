import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * An HTTP server of the local stack (the API, the Step Functions endpoint, the
 * store's fault proxy, the Notify stand-in). It never ends an idle keep-alive
 * connection itself: the client does (fetch after 4 s idle, Node's agent and
 * the AWS SDK when they choose), and stopping the stack closes every
 * connection. Node's default, a server that ends them after 5 s and tells the
 * client so, races a client sending on one at that moment: the request dies
 * with ECONNRESET, and a POST is not sent again. It was seen in the chaos,
 * demo and workflow tests on the loaded 2-core machine, where a timer can
 * fire a second late.
 */
export function localServer(listener: RequestListener): Server {
  const server = createServer(listener);
  server.keepAliveTimeout = 0;
  return server;
}
