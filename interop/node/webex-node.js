// Loads the official Webex JS SDK (npm `webex`, pinned in package.json) under
// plain Node, and builds instances pointed at the emulator.
//
// `require('webex')` cannot load under Node: its entry point pulls in the
// browser-only plugins (meetings, contact center, device manager, LLM), which
// touch `window` or load a broken ESM build (upstream: webex-js-sdk issue
// #3510). So this file builds the `Webex` class
// itself, from the same pieces the npm entry point is made of: webex-core plus
// only the plugins the interop suite exercises. Every plugin is the unmodified
// npm code.
//
// Deliberately NOT loaded:
// - internal-plugin-calendar: it reacts to mercury events by decrypting with
//   KMS (its start-up key request is not part of any check here); a failed KMS
//   call there surfaces as an unhandled rejection that kills Node.
// - plugin-meetings, contact-center, internal-plugin-llm: browser-only.
// plugin-authorization-node (the OAuth helpers: code grant, JWT login) is
// loaded for oauth.js; the other checks use access tokens and never call it.

'use strict';

// Device registration (wdm) first: the other plugins rely on its URL
// interceptor being registered.
require('@webex/internal-plugin-device');
require('@webex/plugin-logger');
require('@webex/plugin-people');
require('@webex/plugin-rooms');
require('@webex/plugin-messages');
require('@webex/plugin-memberships');
require('@webex/plugin-teams');
require('@webex/plugin-team-memberships');
require('@webex/plugin-webhooks');
require('@webex/plugin-attachment-actions');
require('@webex/plugin-authorization-node');
// The device manager (with internal-plugin-lyra and internal-plugin-search):
// it loads under Node, unlike the other browser-only plugins.
require('@webex/plugin-device-manager');
// The KMS client (also pulled in by the conversation plugin): examples/kms.js.
require('@webex/internal-plugin-encryption');
// rooms, messages, memberships and attachment-actions pull in
// internal-plugin-conversation and internal-plugin-mercury themselves.

const core = require('@webex/webex-core');

const WebexCore = core.default;
const {MemoryStoreAdapter} = core;

/** The SDK version as the npm package states it (used in its user agent). */
const SDK_VERSION = require('webex/package').version;

/** The `Webex` class: webex-core with the plugins above. */
const Webex = WebexCore.extend({
  webex: true,
  version: SDK_VERSION,
});

/**
 * A Webex instance authenticated with `accessToken`, with its two discovery
 * services (the only ones known before the catalog arrives) on the emulator at
 * `baseUrl`. Every other service comes from the emulator's U2C catalog.
 *
 * @param {string} baseUrl emulator base URL, e.g. `http://127.0.0.1:8642`
 * @param {string} accessToken token issued by `POST /_emulator/people`
 * @returns {Webex}
 */
function connect(baseUrl, accessToken) {
  return new Webex({
    credentials: {access_token: accessToken},
    config: {
      sdkType: 'webex',
      credentials: {clientType: 'confidential'},
      device: {validateDomains: true, ephemeral: true},
      storage: {boundedAdapter: MemoryStoreAdapter, unboundedAdapter: MemoryStoreAdapter},
      logger: {level: process.env.WEBEX_LOG_LEVEL || 'silent'},
      services: {
        discovery: {
          u2c: `${baseUrl}/u2c/api/v1`,
          hydra: `${baseUrl}/v1`,
        },
      },
    },
  });
}

/**
 * A Webex instance of an OAuth integration (no token yet) whose identity
 * broker is the emulator at `baseUrl`: `client_id`, `client_secret`,
 * `redirect_uri` and `scope` as the SDK's credentials config takes them.
 *
 * @param {string} baseUrl emulator base URL
 * @param {object} integration {client_id, client_secret, redirect_uri, scope}
 * @returns {Webex}
 */
function connectIntegration(baseUrl, integration) {
  return new Webex({
    config: {
      sdkType: 'webex',
      credentials: {
        clientType: 'confidential',
        idbroker: {url: baseUrl},
        identity: {url: baseUrl},
        ...integration,
      },
      device: {validateDomains: true, ephemeral: true},
      storage: {boundedAdapter: MemoryStoreAdapter, unboundedAdapter: MemoryStoreAdapter},
      logger: {level: process.env.WEBEX_LOG_LEVEL || 'silent'},
      services: {
        discovery: {
          u2c: `${baseUrl}/u2c/api/v1`,
          hydra: `${baseUrl}/v1`,
        },
      },
    },
  });
}

module.exports = {Webex, connect, connectIntegration, SDK_VERSION};
