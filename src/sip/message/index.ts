/** The SIP message layer: parse, validate, build and serialize SIP messages. */
export * from './types.js';
export { SipParseError, type PartialMessage } from './errors.js';
export { parseMessage, type ParseOptions } from './parser.js';
export { serialize } from './serialize.js';
export {
  createRequest, createResponse, withBody, withHeader, withoutHeader, withPrependedHeader, withPrependedVia,
  withTopViaParams, type HeaderInit, type RequestInit, type ResponseExtra,
} from './builders.js';
export { formatUri, makeSipUri, parseUri } from './uri.js';
export { formatNameAddr, parseNameAddr } from './name-addr.js';
export { formatVia, parseVia, parseViaList } from './via.js';
export { parseCSeq } from './message.js';
export { canonicalName } from './header-names.js';
export { REASON_PHRASES, reasonPhrase } from './reasons.js';
export { BRANCH_COOKIE, generateBranch, generateCallId, generateTag, type RandomSource } from './ids.js';
export { SipStreamFramer, type FramerOptions } from './framer.js';
export { parseMultipart, type BodyPart } from './multipart.js';
export {
  acceptsContentType, checkProxyRequest, responseFault, validateRequest, viaNamesBroadcast, type ValidateOptions, type ValidationFailure,
} from './validate.js';
