/**
 * The local terminal chat: prints replies with numbered choices (type the number to pick).
 */
import type { Reply } from '../../core/messages.js';
import type { ChannelSender, SendResult } from '../../core/sender.js';

export class CliSender implements ChannelSender {
  readonly channel = 'cli' as const;
  readonly limits = { perSecond: 1000, perChatPerSecond: 1000, perChatBurst: 1000 };
  private counter = 0;

  constructor(private readonly write: (line: string) => void) {}

  split(reply: Reply): Reply[] {
    return [reply];
  }

  async send(_chatId: string, reply: Reply): Promise<SendResult> {
    const lines: string[] = [];
    switch (reply.kind) {
      case 'text':
        lines.push(reply.text);
        reply.choices?.forEach((c, i) => lines.push(`  [${i + 1}] ${c.title}${c.description ? ` — ${c.description}` : ''}`));
        break;
      case 'document':
        lines.push(`📎 ${reply.fileName} (${reply.mimeType}, ${Buffer.from(reply.base64, 'base64').length} bytes)${reply.caption ? `\n${reply.caption}` : ''}`);
        break;
      case 'location':
        lines.push(`📍 ${reply.name ?? ''} https://maps.google.com/?q=${reply.latitude},${reply.longitude}`);
        break;
      case 'template':
        lines.push(reply.fallbackText);
        break;
    }
    this.write(`\n🤖 ${lines.join('\n')}\n`);
    return { platformMessageIds: [`cli-${++this.counter}`] };
  }
}
