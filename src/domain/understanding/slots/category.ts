/**
 * The complaint-category slot: a small scored lexicon per category. Each cue adds its weight;
 * the best category wins when it has a clear lead. This is a slot that pre-fills the complaint
 * form, not the router that decides a message is a complaint.
 */
import { CATEGORIES, type CategoryId } from '../../complaints/catalog.js';
import { editDistance, words } from './text.js';

/** Cue phrases (folded words) and their weights: 3 = names the category, 1 = hints at it. */
const LEXICON: Record<CategoryId, Record<string, number>> = {
  jalan: {
    dalan: 1, dalane: 1, jalane: 1, bolong: 2, 'polisi tidur': 3, tanjakan: 1, licin: 1, lumutan: 2, sidewalk: 3, pavement: 2, cracked: 1, kabel: 2, 'kabel semrawut': 3, 'kabel menjuntai': 3, cables: 3, cable: 3, semrawut: 1, nglewer: 2, pohon: 1, doyong: 2, tumbang: 2, baliho: 2, roboh: 2, 'lampu lalu lintas': 3, 'traffic light': 3, 'rambu': 1,
    'jalan rusak': 3, 'jalan berlubang': 3, 'jalan ambles': 3, 'jalan amblas': 3, 'jalan retak': 3, 'jalan rusak parah': 3,
    berlubang: 2, lubang: 2, aspal: 2, diaspal: 2, ambles: 2, amblas: 2, retak: 1, trotoar: 2, jembatan: 2, paving: 2,
    'pohon tumbang': 2, 'tanah longsor': 2, longsor: 2, infrastruktur: 3, jalan: 1, jln: 1, jl: 1, gang: 1, gg: 1, rusak: 1, pothole: 3, road: 1,
  },
  drainase: {
    kali: 2, banyu: 1,
    banjir: 3, genangan: 3, tergenang: 3, selokan: 3, got: 2, saluran: 2, drainase: 3, gorong: 3, 'gorong gorong': 3, mampet: 2,
    tersumbat: 2, meluap: 2, rob: 2, air: 1, flood: 3, flooded: 3, drain: 3,
  },
  sampah: {
    uwuh: 3, bangkai: 4, jorok: 2, 'wc umum': 2, spanduk: 2, dibersihin: 1, dibersihkan: 1,
    sampah: 3, tps: 3, 'tempat sampah': 3, kebersihan: 3, berserakan: 2, menumpuk: 1, bau: 1, kotor: 1, 'buang sampah': 3,
    garbage: 3, trash: 3, rubbish: 3, waste: 3,
  },
  pju: {
    'lampu dalan': 4, peteng: 2, lampune: 2, pedhot: 1, 'lampu merah': -2, 'lampu lalu lintas': -3,
    'lampu jalan': 4, 'lampu penerangan': 4, pju: 4, penerangan: 3, 'penerangan jalan': 4, 'tiang lampu': 3, lampu: 2, gelap: 1,
    padam: 1, mati: 1, streetlight: 4, 'street light': 4, lighting: 3,
  },
  adminduk: {
    'family card': 3, 'surat pengantar': 2, 'ga jadi': 1, sktm: 3, 'surat keterangan tidak mampu': 3,
    ktp: 3, ektp: 3, 'e ktp': 3, kk: 3, 'kartu keluarga': 3, akta: 3, akte: 3, kia: 3, adminduk: 3, dukcapil: 3, 'surat pindah': 3,
    kependudukan: 3, domisili: 2, nik: 2, 'belum jadi': 1, 'id card': 3,
  },
  izin: { 'domisili usaha': 4, tower: 2, 'tanpa izin': 3, 'tanpa sosialisasi': 2,  izin: 3, ijin: 3, perizinan: 3, imb: 3, pbg: 3, sku: 2, nib: 3, 'izin usaha': 3, 'surat keterangan usaha': 3, permit: 3 },
  layanan: {
    dicuekin: 3, cuek: 1, 'main hp': 3, loket: 2, 'susah ditemui': 3, dibales: 1, 'ga pernah dibales': 3, 'tidak pernah dibalas': 3, website: 1, 'nobody picks up': 2, 'nobody answers': 2, 'tanda tangan': 1, 'nate wonten': 2, 'ga pernah ada': 1,
    petugas: 2, pelayanan: 2, layanan: 2, judes: 3, ketus: 3, kasar: 2, lambat: 1, dipersulit: 3, 'tidak dilayani': 3, 'gak dilayani': 3,
    'ga dilayani': 3, 'nggak dilayani': 3, antre: 1, antri: 1, 'tidak ramah': 3, 'ga ramah': 3, 'gak ramah': 3, pegawai: 1, staff: 1, rude: 3,
  },
  pungli: {
    dijaluki: 3, duit: 1, 'minta jatah': 4, jatah: 2, 'maksa bayar': 4, 'for money': 3, dipotong: 3, 'biar cepet': 2, 'biar cepat': 2, 'ben cepet': 2, 'minta iuran': 3, 'iuran tambahan': 3, iuran: 1,
    pungli: 4, pungutan: 3, 'pungutan liar': 4, 'uang rokok': 4, 'uang pelicin': 4, pelicin: 3, suap: 3, 'disuruh bayar': 4, 'minta uang': 3,
    'dimintai uang': 4, 'dimintai': 2, 'harus bayar': 2, bribe: 3, 'uang terima kasih': 3,
  },
  trantib: {
    karaoke: 3, karaokean: 3, knalpot: 3, brong: 2, loud: 2, music: 1, rame: 1, teriak: 2, ditertibkan: 3, berantem: 3, anjing: 2, gigit: 2, 'street vendors': 3, vendors: 2, parkir: 2, ngelem: 3, nongkrong: 1, sapi: 2, ternak: 2, drunk: 3, ngetem: 3, ronda: 1, mabukan: 3,
    preman: 3, maling: 3, pencurian: 3, dicuri: 3, tawuran: 3, berisik: 2, bising: 2, 'parkir liar': 3, pkl: 4, 'pedagang kaki lima': 3,
    mabuk: 3, miras: 3, keributan: 3, ribut: 2, judi: 3, balap: 2, 'balap liar': 3,
    ketertiban: 3, keamanan: 3, 'orang gila': 2, liar: 1,
  },
  sosial: {
    'social aid': 4, unfair: 1, dtks: 4, dicoret: 2, odgj: 3, dinsos: 3, sembako: 2, pengemis: 3, 'anak jalanan': 3,
    bansos: 4, 'bantuan sosial': 4, blt: 3, pkh: 3, bpnt: 3, 'tidak dapat bantuan': 4, 'ga dapat bantuan': 4, 'gak dapat bantuan': 4,
    'data bantuan': 3, dbd: 3, 'demam berdarah': 3, posyandu: 2, stunting: 3, lansia: 1, 'fogging': 3, 'nyamuk': 1, kesehatan: 2,
    miskin: 2, 'tidak tepat sasaran': 3, sosial: 2, bantuan: 1,
  },
  aspirasi: {
    propose: 3, dikasih: 1, 'pengen ada': 2, 'minta dipasang': 3, 'mohon dipasang': 3, 'tolong dipasang': 3, 'perlu dipasang': 3,
    usul: 4, usulan: 3, mengusulkan: 3, aspirasi: 3, saran: 3, 'mohon dibangun': 3, 'minta dibuatkan': 3, 'tolong dibuatkan': 3,
    'sebaiknya': 1, 'alangkah baiknya': 2, 'perlu ada': 2, proposal: 3, suggestion: 3,
  },
  lainnya: { pdam: 3, pipa: 2, pipe: 2, babi: 2, asap: 2, pabrik: 1, hydrant: 2, tikus: 1, ular: 1, 'tegangan listrik': 2,  lainnya: 3, 'lain lain': 3, other: 3 },
};

/** Category labels ("Penerangan jalan", "Kebersihan & sampah"), matched when the answer is a label. */
const LABEL_WORDS: Record<string, CategoryId> = Object.fromEntries(
  CATEGORIES.flatMap((c) => [c.label.id, c.label.en].map((l) => [words(l).join(' '), c.id] as const)),
);

function scores(text: string): Array<{ id: CategoryId; score: number }> {
  // "lubangnya" counts as "lubang".
  const s = ` ${words(text).map((w) => (w.length > 6 ? w.replace(/nya$/, '') : w)).join(' ')} `;
  return (Object.entries(LEXICON) as Array<[CategoryId, Record<string, number>]>)
    .map(([id, cues]) => {
      let score = 0;
      for (const [cue, weight] of Object.entries(cues)) if (s.includes(` ${cue} `)) score += weight;
      return { id, score };
    })
    .sort((a, b) => b.score - a.score);
}

/**
 * The category `text` is about. `free`: inside a complaint (needs a clear lead and a score of 2:
 * one strong cue or two weak ones); `answer`: the whole message answers "which category?" (a label, one cue word, or a
 * close spelling of one, "drainse").
 */
export function categorySlot(text: string, mode: 'answer' | 'free' = 'free'): CategoryId | undefined {
  const w = words(text);
  if (mode === 'answer') {
    const label = LABEL_WORDS[w.join(' ')];
    if (label) return label;
  }
  const [best, second] = scores(text);
  const need = mode === 'answer' ? 1 : 2;
  if (best && best.score >= need && best.score > (second?.score ?? 0)) return best.id;
  if (mode === 'answer' && w.length <= 2) {
    // A close spelling of one cue word ("drainse", "sampa", "penerangn").
    const hits = new Set<CategoryId>();
    for (const word of w) {
      if (word.length < 5) continue;
      for (const [id, cues] of Object.entries(LEXICON) as Array<[CategoryId, Record<string, number>]>) {
        for (const cue of Object.keys(cues)) if (!cue.includes(' ') && cue.length >= 5 && editDistance(word, cue, 1) <= 1) hits.add(id);
      }
    }
    if (hits.size === 1) return [...hits][0];
  }
  return undefined;
}
