// Patron's encrypted payloads (AES-256-GCM) with WebCrypto: browsers, Node.js 20+, Deno, Bun.
// The wire format is in docs/encryption.md; the test suite runs this file against the gateway's code.

export const MEDIA_TYPE = "application/vnd.patron.encrypted+json";
const REQUEST_LABEL = "patron-gcm-v1";
const REPLY_LABEL = "patron-gcm-v1-reply";
const utf8 = new TextEncoder();

export function b64urlEncode(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function b64urlDecode(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

// A client's 32-byte key, as the admin handed it over (base64url), made a non-extractable CryptoKey.
export function importKey(keyB64url) {
  return crypto.subtle.importKey("raw", b64urlDecode(keyB64url), "AES-GCM", false, ["encrypt", "decrypt"]);
}

// The request target as the request line carries it: percent-encoded path, and "?query" if not empty.
export function requestTarget(url) {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

function requestAssociatedData(method, target, ts, kid) {
  return utf8.encode([REQUEST_LABEL, method, target, String(ts), kid].join("\n"));
}

function replyAssociatedData(status, requestNonce, ts, kid) {
  return utf8.encode([REPLY_LABEL, String(status), requestNonce, String(ts), kid].join("\n"));
}

// The envelope of a request: {kid, nonce, ts, ct}. plaintext is a string or bytes ("" for no body).
export async function sealRequest(key, kid, method, target, plaintext, ts, nonce) {
  ts ??= Math.floor(Date.now() / 1000);
  nonce ??= crypto.getRandomValues(new Uint8Array(12));
  const data = typeof plaintext === "string" ? utf8.encode(plaintext) : plaintext;
  const additionalData = requestAssociatedData(method, target, ts, kid);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData, tagLength: 128 }, key, data);
  return { kid, nonce: b64urlEncode(nonce), ts, ct: b64urlEncode(new Uint8Array(ct)) };
}

// A bodiless request (GET, DELETE) carries the envelope of the empty plaintext as headers.
export function envelopeHeaders(envelope) {
  return {
    "X-Patron-Key-Id": envelope.kid,
    "X-Patron-Nonce": envelope.nonce,
    "X-Patron-Timestamp": String(envelope.ts),
    "X-Patron-Tag": envelope.ct,
  };
}

// The plaintext bytes of a reply; throws unless it is the reply, with this status, to this request.
export async function openReply(key, kid, status, requestNonce, envelope) {
  if (envelope.kid !== kid) throw new Error("the reply is under another key");
  const additionalData = replyAssociatedData(status, requestNonce, envelope.ts, kid);
  const algorithm = { name: "AES-GCM", iv: b64urlDecode(envelope.nonce), additionalData, tagLength: 128 };
  return new Uint8Array(await crypto.subtle.decrypt(algorithm, key, b64urlDecode(envelope.ct)));
}

// One encrypted call: body is a JSON value or undefined; resolves to {status, body} with the JSON reply.
export async function encryptedFetch(url, { key, kid, method = "GET", body, headers = {} }) {
  const target = requestTarget(url);
  const plaintext = body === undefined ? "" : JSON.stringify(body);
  const envelope = await sealRequest(key, kid, method, target, plaintext);
  const init = { method, headers: { ...headers, Accept: MEDIA_TYPE } };
  if (body === undefined) {
    Object.assign(init.headers, envelopeHeaders(envelope));
  } else {
    init.headers["Content-Type"] = MEDIA_TYPE;
    init.body = JSON.stringify(envelope);
  }
  const response = await fetch(url, init);
  if (response.headers.get("Content-Type")?.split(";")[0] !== MEDIA_TYPE) {
    // Only a refused envelope (the same 400 for every reason) comes back in the clear.
    return { status: response.status, body: await response.json(), encrypted: false };
  }
  const reply = await openReply(key, kid, response.status, envelope.nonce, await response.json());
  const text = new TextDecoder().decode(reply);
  return { status: response.status, body: text ? JSON.parse(text) : null, encrypted: true };
}
