import type { CreateTableBuilder, Kysely } from 'kysely';

// Migrations are frozen history: they take Kysely<unknown> so later schema changes cannot alter them.
type Table = CreateTableBuilder<string, never>;

const dated = (t: Table): Table =>
  t.addColumn('date_created', 'text', (c) => c.notNull()).addColumn('date_updated', 'text', (c) => c.notNull());

const text = (t: Table, ...names: string[]): Table => names.reduce((acc, n) => acc.addColumn(n, 'text'), t);
const method = (t: Table, ...names: string[]): Table =>
  names.reduce((acc, n) => acc.addColumn(n, 'text', (c) => c.notNull().defaultTo('POST')), t);
const flag = (t: Table, ...names: string[]): Table =>
  names.reduce((acc, n) => acc.addColumn(n, 'integer', (c) => c.notNull().defaultTo(0)), t);

export async function up(db: Kysely<unknown>): Promise<void> {
  await dated(
    db.schema
      .createTable('accounts')
      .addColumn('sid', 'text', (c) => c.primaryKey())
      .addColumn('parent_sid', 'text')
      .addColumn('organization_sid', 'text', (c) => c.notNull())
      .addColumn('friendly_name', 'text', (c) => c.notNull())
      .addColumn('email_address', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('auth_token', 'text', (c) => c.notNull())
      .addColumn('api_version', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('accounts_parent').on('accounts').column('parent_sid').execute();

  await dated(
    text(
      method(
        db.schema
          .createTable('clients')
          .addColumn('sid', 'text', (c) => c.primaryKey())
          .addColumn('account_sid', 'text', (c) => c.notNull())
          .addColumn('api_version', 'text', (c) => c.notNull())
          .addColumn('friendly_name', 'text', (c) => c.notNull())
          .addColumn('login', 'text', (c) => c.notNull().unique())
          .addColumn('password', 'text', (c) => c.notNull())
          .addColumn('password_algorithm', 'text', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull()),
        'voice_method',
        'voice_fallback_method',
      ),
      'voice_url',
      'voice_fallback_url',
      'voice_application_sid',
      'push_client_identity',
    ),
  ).execute();
  await db.schema.createIndex('clients_account').on('clients').column('account_sid').execute();

  await dated(
    flag(
      db.schema
        .createTable('applications')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text')
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('api_version', 'text', (c) => c.notNull())
        .addColumn('rcml_url', 'text')
        .addColumn('kind', 'text'),
      'voice_caller_id_lookup',
    ),
  ).execute();
  await db.schema.createIndex('applications_account').on('applications').column('account_sid').execute();

  await dated(
    flag(
      text(
        method(
          db.schema
            .createTable('incoming_phone_numbers')
            .addColumn('sid', 'text', (c) => c.primaryKey())
            .addColumn('account_sid', 'text', (c) => c.notNull())
            .addColumn('friendly_name', 'text', (c) => c.notNull())
            .addColumn('phone_number', 'text', (c) => c.notNull().unique())
            .addColumn('api_version', 'text', (c) => c.notNull()),
          'voice_method',
          'voice_fallback_method',
          'status_callback_method',
          'sms_method',
          'sms_fallback_method',
          'ussd_method',
          'ussd_fallback_method',
          'refer_method',
        ),
        'voice_url',
        'voice_fallback_url',
        'status_callback',
        'voice_application_sid',
        'sms_url',
        'sms_fallback_url',
        'sms_application_sid',
        'ussd_url',
        'ussd_fallback_url',
        'ussd_application_sid',
        'refer_url',
        'refer_application_sid',
      ),
      'voice_caller_id_lookup',
      'voice_capable',
      'sms_capable',
      'mms_capable',
      'fax_capable',
      'pure_sip',
    ),
  ).execute();
  await db.schema.createIndex('numbers_account').on('incoming_phone_numbers').column('account_sid').execute();

  await dated(
    text(
      db.schema
        .createTable('notifications')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('api_version', 'text', (c) => c.notNull())
        .addColumn('log', 'integer', (c) => c.notNull())
        .addColumn('error_code', 'integer', (c) => c.notNull())
        .addColumn('more_info', 'text', (c) => c.notNull())
        .addColumn('message_text', 'text', (c) => c.notNull())
        .addColumn('message_date', 'text', (c) => c.notNull()),
      'call_sid',
      'request_url',
      'request_method',
      'request_variables',
      'response_headers',
      'response_body',
    ),
  ).execute();
  await db.schema.createIndex('notifications_account').on('notifications').columns(['account_sid', 'date_created']).execute();

  await dated(
    db.schema
      .createTable('registrations')
      .addColumn('sid', 'text', (c) => c.primaryKey())
      .addColumn('account_sid', 'text', (c) => c.notNull())
      .addColumn('client_sid', 'text', (c) => c.notNull())
      .addColumn('login', 'text', (c) => c.notNull())
      .addColumn('aor', 'text', (c) => c.notNull())
      .addColumn('contact_uri', 'text', (c) => c.notNull())
      .addColumn('received_uri', 'text', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text')
      .addColumn('reg_id', 'integer')
      .addColumn('q', 'real')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('cseq', 'integer', (c) => c.notNull())
      .addColumn('user_agent', 'text')
      .addUniqueConstraint('registrations_login_contact', ['login', 'contact_uri']),
  ).execute();
  await db.schema.createIndex('registrations_expires').on('registrations').column('expires_at').execute();

  await dated(
    flag(
      text(
        db.schema
          .createTable('calls')
          .addColumn('sid', 'text', (c) => c.primaryKey())
          .addColumn('instance_id', 'text', (c) => c.notNull())
          .addColumn('account_sid', 'text', (c) => c.notNull())
          .addColumn('sender', 'text', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('duration', 'integer')
          .addColumn('ring_duration', 'integer')
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('api_version', 'text', (c) => c.notNull())
          .addColumn('uri', 'text', (c) => c.notNull()),
        'parent_call_sid',
        'phone_number_sid',
        'start_time',
        'end_time',
        'price',
        'price_unit',
        'answered_by',
        'forwarded_from',
        'caller_name',
        'conference_sid',
        'call_path',
      ),
      'muted',
      'on_hold',
    ),
  ).execute();
  await db.schema.createIndex('calls_account').on('calls').columns(['account_sid', 'date_created']).execute();

  await dated(
    db.schema
      .createTable('recordings')
      .addColumn('sid', 'text', (c) => c.primaryKey())
      .addColumn('account_sid', 'text', (c) => c.notNull())
      .addColumn('call_sid', 'text')
      .addColumn('duration', 'real', (c) => c.notNull())
      .addColumn('api_version', 'text', (c) => c.notNull())
      .addColumn('file_path', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('recordings_account').on('recordings').columns(['account_sid', 'date_created']).execute();

  await dated(
    text(
      db.schema
        .createTable('refers')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('notify_status', 'integer'),
      'call_sid',
      'transferor_call_sid',
      'transferor',
      'transferee',
      'refer_target',
      'refer_url',
      'refer_method',
      'refer_application_sid',
      'failure_reason',
    ),
  ).execute();
  await db.schema.createIndex('refers_account').on('refers').columns(['account_sid', 'date_created']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['refers', 'recordings', 'calls', 'registrations', 'notifications', 'incoming_phone_numbers', 'applications', 'clients', 'accounts']) {
    await db.schema.dropTable(t).execute();
  }
}
