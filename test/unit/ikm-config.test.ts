/** The survey's settings: the period length divides the year; the population is optional. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('IKM settings', () => {
  it('default: quarters, no population (no minimum sample reported)', () => {
    expect(loadConfig({}).ikm).toEqual({ periodMonths: 3, population: undefined });
  });

  it('takes a period that divides the year and a population', () => {
    expect(loadConfig({ IKM_PERIOD_MONTHS: '6', IKM_POPULATION: '12000' }).ikm).toEqual({ periodMonths: 6, population: 12000 });
  });

  it('refuses a period that does not divide the year and a population that is not a number, naming both', () => {
    try {
      loadConfig({ IKM_PERIOD_MONTHS: '5', IKM_POPULATION: 'banyak' });
      expect.unreachable('accepted a bad IKM setting');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/IKM_PERIOD_MONTHS: must be 1, 2, 3, 4, 6 or 12/);
      expect(problems).toMatch(/IKM_POPULATION: must be a whole number/);
    }
  });
});
