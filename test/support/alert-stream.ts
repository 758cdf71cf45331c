/**
 * A client of GET /v1/alerts/stream over real HTTP for the alert tests: it parses the server-sent events as they
 * arrive (with the dashboard's own parser) and gives the alerts among them as the API's own Alert view.
 */
import type { AlertView } from '../../web/src/api';
import { parseSse } from '../../web/src/alert-stream';

/** An alert as GET /v1/alerts and the stream give it; these tests raise alerts on cases only. */
export type AlertJson = AlertView & { caseId: string };

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
  receivedAt: number;
}

export interface OpenStream {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  alerts(): AlertJson[];
  close(): Promise<void>;
}

/** Opens GET /v1/alerts/stream over real HTTP and parses the server-sent events as they arrive. */
export async function openStream(baseUrl: string, token: string, lastEventId?: number): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}) },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  let pump: Promise<void> = Promise.resolve();
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
          buffer = parsed.rest;
          const receivedAt = Date.now();
          // A comment-only block (a keep-alive) carries no field: not an event.
          for (const m of parsed.messages) if (m.id !== null || m.data !== '' || m.event !== 'message') events.push({ id: m.id, event: m.event, data: m.data, receivedAt });
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    alerts: () => events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data) as AlertJson),
    close: async () => {
      abort.abort();
      await pump;
      if (res.status !== 200) await res.text().catch(() => undefined);
    },
  };
}
