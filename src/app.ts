/**
 * `buildApp(config)`: wires the database, channels, engine, outbox, jobs and HTTP server into one
 * object. No process concerns here (signals, exit codes): see main.ts. Tests build the real app.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { createModules } from './features/index.js';
import { createUnderstander } from './domain/understanding/module.js';
import type { EnabledChannel } from './channels/channel.js';
import { cliChannel, LOCAL_USER } from './channels/cli/index.js';
import { telegramChannel } from './channels/telegram/index.js';
import type { TelegramSender } from './channels/telegram/sender.js';
import { whatsappChannel } from './channels/whatsapp/index.js';
import type { WhatsAppSender } from './channels/whatsapp/sender.js';
import type { SendError } from './core/sender.js';
import type { Config } from './config.js';
import { ContactsService, type StaffDirectory } from './core/contacts-service.js';
import { DeliveryService } from './core/delivery-service.js';
import { Engine } from './core/engine.js';
import type { Flow } from './core/flow.js';
import { InboxProcessor } from './core/inbox-processor.js';
import { ChannelMediaFetcher } from './core/media.js';
import { Notifier, type StaffTarget } from './core/notifier.js';
import type { Channel, InboundMessage } from './core/messages.js';
import { channelDownAlert } from './core/channel-alert.js';
import { Outbox } from './core/outbox.js';
import { createCoreStore, ensureIndexes, type CoreStore } from './core/store/index.js';
import { MongoContactStore } from './core/store/contacts.js';
import { MongoDeliveryStore } from './core/store/delivery.js';
import { MongoInboxStore } from './core/store/inbox-accept.js';
import { MongoLeaseStore } from './core/store/leases.js';
import { MongoOutboxStore } from './core/store/outbox.js';
import { MongoSessionStore } from './core/store/sessions.js';
import { PushedPromptsInMemory } from './core/pushed-prompts-in-memory.js';
import { MongoPushedPrompts } from './core/store/pushed-prompts.js';
import { connectDatabase, pingDatabase } from './db/connect.js';
import { healthRoutes } from './http/routes/health.js';
import { createHttpServer } from './http/server.js';
import { registerConsole } from './http/console/index.js';
import { mongoConsoleStores } from './store/console-stores.js';
import { pruneOldRecords, recoverStuckMessages, sendDueMessages } from './jobs/maintenance.js';
import { Scheduler } from './jobs/scheduler.js';
import { createLogger } from './logging/logger.js';
import { isFaqModule } from './features/faq.js';
import type { AppModule } from './features/feature.js';
import type { AppServices } from './services.js';

/** Test and embedding hooks; production uses the defaults. */
export interface AppOptions {
  logger?: Logger;
  /** Clock for everything time-based (default: real time). */
  clock?: () => Date;
  /** Extra flows (tests). */
  extraFlows?: Flow<AppServices>[];
  /** Run cron jobs and the outbox retry loop (default true). Tests drive them by hand. */
  backgroundJobs?: boolean;
  /** Feature modules (default: all of them, see modules.ts). */
  modules?: AppModule[];
  /** Where the local chat prints (enables the `cli` channel). */
  cliOutput?: (line: string) => void;
}

/** A built, connected application. */
export interface App {
  config: Config;
  http: FastifyInstance;
  conn: Connection;
  store: CoreStore;
  engine: Engine<AppServices>;
  processor: InboxProcessor<AppServices>;
  outbox: Outbox;
  contacts: ContactsService;
  deliveries: DeliveryService;
  notifier: Notifier;
  modules: AppModule[];
  services: AppServices;
  logger: Logger;
  telegram?: TelegramSender;
  whatsapp?: WhatsAppSender;
  /** Listens on HTTP, starts polling / sets the webhook, starts jobs, recovers pending work. */
  start(): Promise<void>;
  /** Feeds a line typed in the local chat. */
  sendLocal(text: string, userKey?: string): Promise<void>;
  /** Runs the periodic jobs once (tests). */
  runJobsOnce(now?: Date): Promise<void>;
  /** Stops taking requests, finishes in-flight work, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Who is staff: each switched-on channel knows its own staff. */
function staffDirectory(channels: EnabledChannel[]): StaffDirectory {
  return {
    isStaff: (channel, userKey, chatId) => channels.find((c) => c.channel === channel)?.isStaff(userKey, chatId) ?? false,
  };
}

export { LOCAL_USER };

export async function buildApp(config: Config, opts: AppOptions = {}): Promise<App> {
  if (!config.mongodbUri) throw new Error('buildApp needs config.mongodbUri (main.ts starts the embedded database)');
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? (() => new Date());
  const conn = await connectDatabase(config.mongodbUri);
  const store = createCoreStore(conn);
  const leases = new MongoLeaseStore(store.leases);
  await ensureIndexes([store.contacts, store.sessions, store.inbox, store.inboxSeen, store.leases, store.outbox, store.outboxClaims, store.outboxLog, store.outboxReports, store.deliveries]);

  // The channels that are switched on; everything per channel below derives from this list.
  const env = { logger, clock };
  const channels: EnabledChannel[] = [
    telegramChannel(config, env),
    whatsappChannel(config, env),
    opts.cliOutput ? cliChannel(opts.cliOutput) : undefined,
  ].filter((c): c is EnabledChannel => c !== undefined);
  const telegram = channels.find((c) => c.channel === 'telegram')?.sender as TelegramSender | undefined;
  const whatsapp = channels.find((c) => c.channel === 'whatsapp')?.sender as WhatsAppSender | undefined;

  const contactStore = new MongoContactStore(store.contacts);
  const contacts = new ContactsService(contactStore, staffDirectory(channels));
  const movedContacts = await contacts.migrateIds();
  if (movedContacts > 0) logger.info({ contacts: movedContacts }, 'contacts given their new ids');
  const deliveries = new DeliveryService(new MongoDeliveryStore(store.deliveries));

  // Filled in once the notifier exists (it sends through this outbox).
  let alertChannelDown: (channel: Channel, err: SendError) => void = () => undefined;
  const outbox = new Outbox({
    store: new MongoOutboxStore({ queue: store.outbox, claims: store.outboxClaims, log: store.outboxLog, reports: store.outboxReports }),
    leases,
    senders: channels.map((c) => c.sender),
    contacts,
    logger: logger.child({ component: 'outbox' }),
    clock,
    sendTimeoutMs: config.outbox.sendTimeoutMs,
    maxAgeMs: config.outbox.maxAgeMs,
    lanes: config.outbox.concurrency,
    soleWriter: config.soleWriter,
    onChannelDown: (channel, err) => alertChannelDown(channel, err),
  });
  const staffTargets: StaffTarget[] = channels.flatMap((c) => c.staffTargets);
  // In the local chat with no staff destination configured, the local user receives staff alerts
  // and their buttons (the README: the local user counts as staff), so every staff flow can be tried.
  if (opts.cliOutput && staffTargets.length === 0) staffTargets.push({ channel: 'cli', chatId: LOCAL_USER });
  const storedPrompts = new MongoPushedPrompts(conn);
  await storedPrompts.init();
  const promptsInMemory = config.soleWriter ? new PushedPromptsInMemory(storedPrompts, clock) : undefined;
  // Read once now, not on the first message that needs it.
  await promptsInMemory?.load();
  const pushedPrompts = promptsInMemory ?? storedPrompts;
  const notifier = new Notifier({ outbox, contacts: contactStore, staffTargets, clock, logger: logger.child({ component: 'notifier' }), pushedPrompts });
  alertChannelDown = (channel, err) => {
    // Staff on the channel that still works hear of it; the log has it either way (outbox).
    const targets = notifier.staffTargets.filter((t) => t.channel !== channel);
    const text = channelDownAlert(channel, err, config.outbox.maxAgeMs);
    notifier.toStaff([{ kind: 'text', text }], `channel-down:${channel}:${clock().toISOString()}`, targets).catch((e: unknown) => logger.error({ err: e, channel }, 'could not alert staff that a channel is down'));
  };
  const media = new ChannelMediaFetcher(
    Object.fromEntries(channels.flatMap((c) => (c.fetchMedia ? [[c.channel, (id: string, max: number) => c.fetchMedia!(id, max)]] : []))),
  );
  const services: AppServices = { logger, notifier, media, clock, tz: config.tzDisplay };
  const modules: AppModule[] = opts.modules ?? (await createModules(config, { ...services, conn, channels: channels.map((c) => c.channel) }));
  for (const m of modules) await m.init?.();
  const faqModule = modules.find(isFaqModule);
  const engine = new Engine<AppServices>({
    flows: [...modules.flatMap((m) => m.flows), ...(opts.extraFlows ?? [])],
    services,
    idleMinutes: config.sessionIdleMinutes,
    tz: config.tzDisplay,
    pushedPrompts,
    understander: await createUnderstander({ logger: logger.child({ component: 'understanding' }), ...(faqModule ? { faqIndex: () => faqModule.service.currentIndex() } : {}) }),
  });
  const processor = new InboxProcessor<AppServices>({
    inbox: new MongoInboxStore(store.inbox, store.inboxSeen),
    sessions: new MongoSessionStore(store.sessions),
    leases,
    engine,
    contacts,
    outbox,
    logger: logger.child({ component: 'inbox' }),
    clock,
    afterHandled: async (msg: InboundMessage) => {
      await channels.find((c) => c.channel === msg.channel)?.markRead?.(msg);
    },
    soleWriter: config.soleWriter,
  });

  const http = createHttpServer(logger);
  let shuttingDown = false;
  await http.register(healthRoutes({ isReady: async () => !shuttingDown && (await pingDatabase(conn)) }));
  for (const c of channels) await c.connect({ http, processor, contacts, deliveries });
  await registerConsole(http, { config, stores: mongoConsoleStores(conn), contacts: store.contacts, modules, clock, logger });
  await http.ready();

  const scheduler = new Scheduler(logger.child({ component: 'jobs' }), config.tzDisplay);
  const jobs = [
    { name: 'recover-stuck-messages', cron: '*/30 * * * * *', run: () => recoverStuckMessages(processor) },
    { name: 'prune-old-records', cron: '17 3 * * *', run: async (now: Date) => ({ ...(await pruneOldRecords(store, now)), pushed_prompts: await pushedPrompts.prune(now) }) },
    ...modules.flatMap((m) => m.jobs ?? []),
  ];
  const backgroundJobs = opts.backgroundJobs ?? true;

  let closing: Promise<void> | undefined;
  const app: App = {
    config,
    http,
    conn,
    store,
    engine,
    processor,
    outbox,
    contacts,
    deliveries,
    notifier,
    modules,
    services,
    logger,
    ...(telegram ? { telegram } : {}),
    ...(whatsapp ? { whatsapp } : {}),
    async start() {
      await http.listen({ port: config.port, host: config.host });
      for (const c of channels) await c.start?.();
      if (backgroundJobs) {
        scheduler.start(jobs);
        outbox.start();
      }
      // Whatever was stored but not handled before a restart is handled now.
      for (const m of modules) await m.recover?.(clock());
      const people = await processor.recoverPending(0);
      const chats = await outbox.flushDue();
      if (people || chats) logger.info({ people, chats }, 'recovered pending work from before the restart');
    },
    async sendLocal(text, userKey = LOCAL_USER) {
      const msg: InboundMessage = {
        channel: 'cli',
        externalId: `cli-${randomUUID()}`,
        userKey,
        chatId: userKey,
        occurredAt: clock(),
        profileName: 'Warga',
        content: text.startsWith('/') ? { kind: 'command', command: text.slice(1).split(/\s+/)[0]!.toLowerCase(), payload: text.split(/\s+/).slice(1).join(' ') } : { kind: 'text', text },
      };
      await processor.accept([msg]);
      await processor.drain('cli', userKey);
      await outbox.flushChat('cli', userKey);
    },
    async runJobsOnce(now = clock()) {
      await recoverStuckMessages(processor);
      for (const job of jobs) await job.run(now);
      await sendDueMessages(outbox);
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        for (const c of channels) c.stop?.();
        await http.close(); // stop taking webhooks; in-flight requests finish
        await scheduler.stop();
        await processor.stop(); // finish the message in hand
        await outbox.stop();
        await conn.close();
      })();
      return closing;
    },
  };
  return app;
}
