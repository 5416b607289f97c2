/**
 * The one typed schema shared by SQLite and PostgreSQL. Column names follow the Restcomm API's snake_case
 * field names. Every date is ISO-8601 text in UTC (`toISOString()`), so ordering and range filters compare
 * the same way on both databases; booleans are integers 0/1 for the same reason.
 */

import type { Generated, Selectable } from 'kysely';

export interface AccountTable {
  sid: string;
  parent_sid: string | null;
  organization_sid: string;
  friendly_name: string;
  email_address: string;
  type: string;
  status: string;
  role: string;
  auth_token: string;
  api_version: string;
  date_created: string;
  date_updated: string;
  /** Dialtone extension (002): where a peer-to-peer call placed by this account's clients is transferred. */
  refer_url: string | null;
  refer_method: Generated<string>;
  refer_application_sid: string | null;
}

export interface ClientTable {
  sid: string;
  account_sid: string;
  api_version: string;
  friendly_name: string;
  login: string;
  /** HA1 = md5(login:realm:password) when `password_algorithm` is `MD5`. */
  password: string;
  password_algorithm: string;
  status: number;
  voice_url: string | null;
  voice_method: string;
  voice_fallback_url: string | null;
  voice_fallback_method: string;
  voice_application_sid: string | null;
  push_client_identity: string | null;
  /** Dialtone extension (002): where a peer-to-peer call this client placed is transferred. */
  refer_url: string | null;
  refer_method: Generated<string>;
  refer_application_sid: string | null;
  date_created: string;
  date_updated: string;
}

export interface ApplicationTable {
  sid: string;
  /** Null for a global application visible to every account. */
  account_sid: string | null;
  friendly_name: string;
  api_version: string;
  voice_caller_id_lookup: number;
  rcml_url: string | null;
  kind: string | null;
  date_created: string;
  date_updated: string;
}

export interface IncomingPhoneNumberTable {
  sid: string;
  account_sid: string;
  friendly_name: string;
  phone_number: string;
  voice_url: string | null;
  voice_method: string;
  voice_fallback_url: string | null;
  voice_fallback_method: string;
  status_callback: string | null;
  status_callback_method: string;
  voice_caller_id_lookup: number;
  voice_application_sid: string | null;
  sms_url: string | null;
  sms_method: string;
  sms_fallback_url: string | null;
  sms_fallback_method: string;
  sms_application_sid: string | null;
  ussd_url: string | null;
  ussd_method: string;
  ussd_fallback_url: string | null;
  ussd_fallback_method: string;
  ussd_application_sid: string | null;
  refer_url: string | null;
  refer_method: string;
  refer_application_sid: string | null;
  voice_capable: number;
  sms_capable: number;
  mms_capable: number;
  fax_capable: number;
  pure_sip: number;
  api_version: string;
  date_created: string;
  date_updated: string;
}

export interface NotificationTable {
  sid: string;
  account_sid: string;
  call_sid: string | null;
  api_version: string;
  /** 0 = error, 1 = warning. */
  log: number;
  error_code: number;
  more_info: string;
  message_text: string;
  message_date: string;
  request_url: string | null;
  request_method: string | null;
  request_variables: string | null;
  response_headers: string | null;
  response_body: string | null;
  date_created: string;
  date_updated: string;
}

export interface RegistrationTable {
  sid: string;
  account_sid: string;
  client_sid: string;
  login: string;
  aor: string;
  /** The Contact URI exactly as the user agent sent it. */
  contact_uri: string;
  /** Where requests for this binding go: `sip:user@srcip:srcport;transport=..`. */
  received_uri: string;
  transport: string;
  instance_id: string | null;
  reg_id: number | null;
  q: number | null;
  expires_at: string;
  call_id: string;
  cseq: number;
  user_agent: string | null;
  date_created: string;
  date_updated: string;
}

export interface CallTable {
  sid: string;
  instance_id: string;
  parent_call_sid: string | null;
  account_sid: string;
  sender: string;
  recipient: string;
  phone_number_sid: string | null;
  status: string;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  ring_duration: number | null;
  price: string | null;
  price_unit: string | null;
  direction: string;
  answered_by: string | null;
  api_version: string;
  forwarded_from: string | null;
  caller_name: string | null;
  conference_sid: string | null;
  muted: number;
  on_hold: number;
  call_path: string | null;
  uri: string;
  date_created: string;
  date_updated: string;
}

export interface RecordingTable {
  sid: string;
  account_sid: string;
  call_sid: string | null;
  duration: number;
  api_version: string;
  file_path: string;
  date_created: string;
  date_updated: string;
}

export interface ReferTable {
  sid: string;
  account_sid: string;
  call_sid: string | null;
  transferor_call_sid: string | null;
  transferor: string | null;
  transferee: string | null;
  refer_target: string | null;
  refer_url: string | null;
  refer_method: string | null;
  refer_application_sid: string | null;
  status: string;
  notify_status: number | null;
  failure_reason: string | null;
  date_created: string;
  date_updated: string;
}

/** A Visual Designer project (003); its sid is its Application's, its name that Application's friendly name. */
export interface DesignerProjectTable {
  sid: string;
  account_sid: string;
  /** The creator's e-mail address, RVD's `header.owner`. */
  owner_email: string | null;
  kind: string;
  /** The project state JSON (format 1.15). */
  state: string;
  /** `{logging, loggingRCML}` JSON; null until first written. */
  settings: string | null;
  /** JSON array of `{name, value, description?}`. */
  parameters: string;
  /** The Web Trigger configuration JSON (RVD's `cc`); null when none. */
  web_trigger: string | null;
  date_created: string;
  date_updated: string;
}

export interface Database {
  accounts: AccountTable;
  clients: ClientTable;
  applications: ApplicationTable;
  incoming_phone_numbers: IncomingPhoneNumberTable;
  notifications: NotificationTable;
  registrations: RegistrationTable;
  calls: CallTable;
  recordings: RecordingTable;
  refers: ReferTable;
  designer_projects: DesignerProjectTable;
}

export type Account = Selectable<AccountTable>;
export type Client = Selectable<ClientTable>;
export type Application = ApplicationTable;
export type IncomingPhoneNumber = IncomingPhoneNumberTable;
export type Notification = NotificationTable;
export type DesignerProject = DesignerProjectTable;
