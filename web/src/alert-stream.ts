/**
 * The live alert stream (`GET /v1/alerts/stream`, server-sent events). EventSource cannot send an Authorization
 * header, and the token must not go into a URL, so the stream is read through the typed client (parseAs: stream):
 * the same bearer header as every other call, the SSE format parsed here, and a reconnect that resumes with Last-Event-ID.
 */
import type { AlertView, Api } from './api';

export type StreamStatus = 'verbinden' | 'verbonden' | 'onderbroken';

export interface StreamHandlers {
  onAlert(alert: AlertView): void;
  onStatus(status: StreamStatus): void;
  onUnauthorized(): void;
}

interface SseMessage {
  id: string | null;
  event: string;
  data: string;
  retry: number | null;
}

/** Splits a buffer into complete SSE messages; returns them and the unfinished rest. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const msg: SseMessage = { id: null, event: 'message', data: '', retry: null };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') msg.id = value;
      else if (field === 'event') msg.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) msg.retry = Number(value);
    }
    msg.data = data.join('\n');
    messages.push(msg);
  }
  return { messages, rest };
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openAlertStream(api: Api, handlers: StreamHandlers): () => void {
  const abort = new AbortController();
  let lastEventId: string | null = null;
  let retryMs = 2000;

  const run = async () => {
    while (!abort.signal.aborted) {
      handlers.onStatus('verbinden');
      try {
        const { response: res } = await api.client.GET('/v1/alerts/stream', {
          headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: abort.signal,
          parseAs: 'stream',
        });
        if (res.status === 401) {
          handlers.onUnauthorized();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        handlers.onStatus('verbonden');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const m of parsed.messages) {
            if (m.retry !== null) retryMs = m.retry;
            if (m.id) lastEventId = m.id;
            if (m.event === 'alert' && m.data) handlers.onAlert(JSON.parse(m.data) as AlertView);
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      handlers.onStatus('onderbroken');
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void run();
  return () => abort.abort();
}
