import http from 'node:http';
import https from 'node:https';
import { checkWebhookUrl, pinnedPublicLookup, type WebhookPolicy } from './webhook-target';

/**
 * POSTs a webhook under the target rules, checked again now (the URL may have been saved under other rules, and a
 * name may resolve elsewhere today): the connection uses the address the check resolved, and a redirect is an
 * answer, never followed (it could point anywhere). A hard timeout bounds the whole exchange.
 */
export async function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, policy: WebhookPolicy, timeoutMs = 10_000): Promise<void> {
  const target = checkWebhookUrl(rawUrl, policy);
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<void>((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        // Allowed internal hosts resolve as usual; every other name through the checking, pinning lookup.
        ...(target.allowed ? {} : { lookup: pinnedPublicLookup }),
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else if (status >= 300 && status < 400) reject(new Error(`webhook answered ${status}; redirects are not followed`));
        else reject(new Error(`webhook answered ${status}`));
      },
    );
    const timer = setTimeout(() => request.destroy(new Error(`webhook did not answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}
