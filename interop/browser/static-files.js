// A small HTTP server for the browser suite's pages: each page and the SDK's bundle are served
// from an origin of their own, other than the emulator's, as a web app's are.

'use strict';

const fs = require('fs');
const http = require('http');

/**
 * Serves `files` (`{'/path': {file, type}}`; any other path is a 404) on a free port of
 * 127.0.0.1.
 *
 * @param {Object<string, {file: string, type: string}>} files
 * @param {string} host the host name the origin names (`127.0.0.1` or `localhost`)
 * @returns {Promise<{server: http.Server, origin: string}>}
 */
async function serveFiles(files, host = '127.0.0.1') {
  const server = http.createServer((req, res) => {
    const entry = files[new URL(req.url, 'http://page').pathname];
    if (!entry) {
      res.writeHead(404).end();

      return;
    }
    res.writeHead(200, {'content-type': entry.type});
    fs.createReadStream(entry.file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {server, origin: `http://${host}:${server.address().port}`};
}

module.exports = {serveFiles};
