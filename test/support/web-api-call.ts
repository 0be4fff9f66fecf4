// Run as a process of its own by bot/http-transport.test.ts, so that NODE_EXTRA_CA_CERTS (read by
// Node at start) makes the test's self-signed certificate trusted: two Web API calls through the
// transport to WEB_API_URL, and what they answered, as JSON on stdout.
import { WebClient } from '@slack/web-api';
import { keptAliveFetch } from '../../bot/http-transport.ts';

const web = new WebClient('xoxb-test', { slackApiUrl: process.env.WEB_API_URL, retryConfig: { retries: 0 }, fetch: keptAliveFetch });
const answers = [];
for (const user of ['U1', 'U2']) answers.push(await web.users.info({ user }));
process.stdout.write(JSON.stringify(answers.map((a) => a.user?.id)));
