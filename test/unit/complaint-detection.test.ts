import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUnderstander } from '../../src/domain/understanding/module.js';
import type { Understander } from '../../src/domain/understanding/service.js';

let understander: Understander;
beforeAll(async () => {
  understander = await createUnderstander({ logger: pino({ level: 'silent' }) });
});

/** What the engine does with a resident's first message. */
const decisionFor = (text: string) => understander.decide(understander.understand(text, { isStaff: false, lang: 'id' }));

describe('Recognising a complaint in free text (the understanding step)', () => {
  it.each([
    'jalan depan rumah saya di Sampangan rusak parah',
    'kapan jalan di sampangan diperbaiki?',
    'petugas kelurahan minta uang buat ngurus KK',
    'lampu jalan mati di petompon sudah seminggu',
    'saya mau lapor sampah menumpuk di gang 3',
    'lampu jalan di RT 04 mati sudah seminggu',
  ])('starts a complaint for "%s"', (text) => {
    expect(decisionFor(text)).toEqual({ kind: 'act', intent: 'complaint.new' });
  });

  it.each(['syarat bikin KTP apa saja?', 'brp umur max cpns kak?', 'jam buka kantor kecamatan?', 'apa syarat membuat KTP?', 'terima kasih'])(
    'does not take "%s" for a complaint',
    (text) => {
      const d = decisionFor(text);
      expect(d.kind === 'act' ? d.intent : d.kind).not.toBe('complaint.new');
    },
  );
});
