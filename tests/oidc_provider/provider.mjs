// The tests' OpenID Connect provider: panva's oidc-provider (a certified implementation of the
// protocol), on loopback, with one static client, a small account store and the package's own
// development sign-in pages. Started by tests/oidc_provider/harness.py:
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"port", "issuer", "client": {client_id, client_secret, redirect_uris},
//               "accounts": {login: {email, email_verified, name}}, "jwks": {"keys": [...]}}
//
// The development sign-in page takes any login and password: the login names the account
// (an unknown login signs in as nobody netmap knows, with no email). Consent is taken as
// given for the static client, as an organisation's provider does for its own services.
// Prints "listening <issuer>" once it accepts connections.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts || {};

const provider = new Provider(config.issuer, {
  clients: [{
    ...config.client,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: config.jwks,
  cookies: { keys: ['netmap-tests-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // S256 only is the package's default; require it of every client, as netmap sends it.
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts[id];
    return {
      accountId: id,
      async claims() {
        if (!account) return { sub: id };
        return { sub: id, ...account };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${config.issuer}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
