import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// bot/files.ts
var FileRefused = class extends Error {
  name = "FileRefused";
};
function slackFileFetcher(options) {
  const allowed = /* @__PURE__ */ new Set(["https://files.slack.com"]);
  if (options.apiUrl) allowed.add(new URL(options.apiUrl).origin);
  return async (file) => {
    const url = file.url_private_download ?? file.url_private;
    if (typeof url !== "string" || !URL.canParse(url)) throw new FileRefused("Slack gave no address for the uploaded file; upload it again.");
    if (!allowed.has(new URL(url).origin)) throw new FileRefused("The file does not come from Slack; upload it in the form.");
    if ((file.size ?? 0) > options.maxBytes) throw new FileRefused(`The file is larger than ${Math.round(options.maxBytes / 1024)} KB.`);
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, redirect: "error", signal: AbortSignal.timeout(1e4) });
    if (!response.ok || !response.body) throw new FileRefused(`Slack answered ${response.status} for the file; upload it again.`);
    const chunks = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > options.maxBytes) throw new FileRefused(`The file is larger than ${Math.round(options.maxBytes / 1024)} KB.`);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  };
}

export {
  FileRefused,
  slackFileFetcher
};
