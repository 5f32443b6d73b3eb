'use strict';
// Stands in for undici in the actions' bundles (tsconfig.json "paths", read by ncc).
// @actions/http-client needs undici only for getAgentDispatcher (a proxy dispatcher for fetch),
// which no action of the suite calls; HttpClient's own requests go over node:http(s) and honour the
// runner's proxy settings without it. Bundling undici cost 0.44 MB and its load time in every
// action's start. If a future path calls getAgentDispatcher, it fails here, loudly.
class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled with this action (see packages/kit/bundle/undici-unused.js)');
  }
}
module.exports = { ProxyAgent };
