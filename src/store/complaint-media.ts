/**
 * Complaint photos in MongoDB GridFS (bucket `complaint_media`), implementing the port of
 * src/domain/complaints/media-store.ts. Ids cross the port as strings (24 hex digits).
 */
import { Readable } from 'node:stream';
import mongoose, { Types, type Connection } from 'mongoose';
import type { ComplaintMediaStore, PhotoMeta } from '../domain/complaints/media-store.js';

export const MEDIA_BUCKET = 'complaint_media';

interface FileRow {
  _id: Types.ObjectId;
  length: number;
  contentType?: string;
  metadata?: PhotoMeta & { mimeType?: string };
}

/** Drafts' photos deleted per prune run (the job runs daily; the rest go the next day). */
const PRUNE_BATCH = 500;

export class GridFsComplaintMediaStore implements ComplaintMediaStore {
  constructor(private readonly conn: Connection) {}

  private bucket(): mongoose.mongo.GridFSBucket {
    const db = this.conn.db;
    if (!db) throw new Error('database connection is not open');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: MEDIA_BUCKET });
  }

  private files() {
    const db = this.conn.db;
    if (!db) throw new Error('database connection is not open');
    return db.collection<FileRow>(`${MEDIA_BUCKET}.files`);
  }

  async save(data: Buffer, mimeType: string, meta: Omit<PhotoMeta, 'attached'>): Promise<{ fileId: string; size: number }> {
    const existing = await this.files().findOne({ 'metadata.key': meta.key });
    if (existing) return { fileId: existing._id.toHexString(), size: existing.length };
    const id = new Types.ObjectId();
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket().openUploadStreamWithId(id, `${meta.key}.${extensionOf(mimeType)}`, {
        metadata: { ...meta, attached: false, mimeType },
      });
      Readable.from([data]).pipe(upload).on('finish', () => resolve()).on('error', reject);
    });
    return { fileId: id.toHexString(), size: data.length };
  }

  async read(fileId: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(new Types.ObjectId(fileId))) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async attach(fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await this.files().updateMany({ _id: { $in: fileIds.map((id) => new Types.ObjectId(id)) } }, { $set: { 'metadata.attached': true } });
  }

  async pruneUnattached(cutoff: Date): Promise<number> {
    const rows = await this.files()
      .find({ 'metadata.attached': false, 'metadata.uploadedAt': { $lt: cutoff } })
      .project<{ _id: Types.ObjectId }>({ _id: 1 })
      .limit(PRUNE_BATCH)
      .toArray();
    for (const r of rows) await this.bucket().delete(r._id);
    return rows.length;
  }
}

function extensionOf(mimeType: string): string {
  if (mimeType === 'image/png') return 'png';
  if (mimeType === 'image/webp') return 'webp';
  if (mimeType === 'image/gif') return 'gif';
  if (mimeType.startsWith('image/')) return 'jpg';
  return 'bin';
}
