// A small SSE reader for tests: splits a stream's text into events (id, event, data) per the WHATWG rules we use.
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export function parseSse(text: string): { events: SseEvent[]; comments: string[]; rest: string } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return { events, comments, rest };
}

/** A sink that keeps what the hub wrote. */
export class MemorySink {
  text = '';
  ended = false;
  writableLength = 0;
  write(chunk: string | Buffer): boolean {
    this.text += chunk.toString();
    return true;
  }
  end(): void {
    this.ended = true;
  }
  events() {
    return parseSse(this.text).events;
  }
}
