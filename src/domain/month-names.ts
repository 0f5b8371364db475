/**
 * Month names and abbreviations as people write them in Indonesian, Javanese-flavoured spelling and
 * English ("peb", "nop", "agt"), to month numbers. One table for forum dates and date slots.
 */
export const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, peb: 2, februari: 2, pebruari: 2, february: 2,
  mar: 3, maret: 3, march: 3,
  apr: 4, april: 4,
  mei: 5, may: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  agu: 8, agt: 8, agus: 8, agustus: 8, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  okt: 10, oct: 10, oktober: 10, october: 10,
  nov: 11, nop: 11, nopember: 11, november: 11,
  des: 12, dec: 12, desember: 12, december: 12,
};
