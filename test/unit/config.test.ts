import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('Configuration', () => {
  it('runs with nothing set: embedded database, both channels off, WIB display', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.mongodbUri).toBeUndefined();
    expect(c.telegram).toBeUndefined();
    expect(c.whatsapp).toBeUndefined();
    expect(c.tzDisplay).toBe('Asia/Jakarta');
    expect(c.forums.reminderOffsetsHours).toEqual([24, 2]);
  });

  it('treats the embedded database as held by one instance, an external one as shared unless told', () => {
    expect(loadConfig({}).soleWriter).toBe(true);
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/sapa' }).soleWriter).toBe(false);
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/sapa', SINGLE_INSTANCE: 'true' }).soleWriter).toBe(true);
    expect(() => loadConfig({ SINGLE_INSTANCE: 'maybe' })).toThrow(/SINGLE_INSTANCE/);
  });

  it('uses long polling without PUBLIC_URL and a webhook with it', () => {
    const token = '123456:ABCdefGHIjklMNOpqrSTUvwx';
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }).telegram?.mode).toBe('polling');
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: token, PUBLIC_URL: 'https://bot.example.id/', TELEGRAM_WEBHOOK_SECRET: 's3cret' });
    expect(c.telegram?.mode).toBe('webhook');
    expect(c.publicUrl).toBe('https://bot.example.id');
    expect(c.telegram?.apiRoot).toBe('https://api.telegram.org');
  });

  it('lists every problem at once, each with the variable name', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        MONGODB_URI: 'postgres://x',
        TZ_DISPLAY: 'Mars/Olympus',
        WHATSAPP_TOKEN: 'abc',
        STAFF_WHATSAPP_NUMBERS: '+62 812',
        LOG_LEVEL: 'loud',
      });
      expect.unreachable('loadConfig should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'MONGODB_URI', 'TZ_DISPLAY', 'STAFF_WHATSAPP_NUMBERS', 'LOG_LEVEL']) expect(problems).toContain(name);
    }
  });

  it('treats half a channel as an error, naming what is missing', () => {
    try {
      loadConfig({ WHATSAPP_TOKEN: 'abc', WHATSAPP_PHONE_NUMBER_ID: '123' });
      expect.unreachable('loadConfig should have thrown');
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('WHATSAPP_APP_SECRET');
      expect(problems).toContain('WHATSAPP_VERIFY_TOKEN');
    }
  });

  it('requires a webhook secret when Telegram runs behind PUBLIC_URL', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwx', PUBLIC_URL: 'https://x.id' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});
