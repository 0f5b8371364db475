/**
 * The staff alert sent when a channel cannot send at all (WhatsApp access token expired or
 * revoked, error 190). Staff read Bahasa Indonesia; the technical detail is for whoever renews
 * the token.
 */
import type { SendError } from './sender.js';
import type { Channel } from './messages.js';

const NAMES: Record<Channel, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp', cli: 'chat lokal' };

/** Text of the alert: what is wrong, that nothing is lost, and what to do. */
export function channelDownAlert(channel: Channel, err: SendError, maxAgeMs: number): string {
  const name = NAMES[channel];
  const hours = Math.round(maxAgeMs / 3_600_000);
  return [
    `⚠️ Pesan ${name} tidak dapat dikirim (kode ${err.code}: token akses kedaluwarsa atau dicabut).`,
    `Semua balasan ke ${name} disimpan dan akan dikirim setelah token baru dipasang dan layanan dijalankan ulang; pesan yang lebih tua dari ${hours} jam tidak dikirim lagi.`,
    `Mohon minta admin memperbarui ${channel === 'whatsapp' ? 'WHATSAPP_TOKEN' : 'token'} lalu menjalankan ulang layanan.`,
  ].join('\n');
}
