// The Lua scripts: every multi-step Redis update the stores make is one of these, atomic on the server.

import { LuaScript } from './lua-script.js';

/**
 * Writes a breaker's state transition, merging it with the fleet's record.
 *
 * KEYS[1] the state key. ARGV: channel, name, state (`open`|`closed`), reopenAt (wall ms, 0 for
 * closed), origin, ttl ms kept after the reopen time, force (`1` for an operator reset), now (the
 * caller's wall ms), the publish command (`PUBLISH`, or `SPUBLISH` on Redis Cluster, where the
 * channel carries the key's hash tag), the writer's maxOpenDuration (ms), the clock-skew allowance
 * (ms).
 *
 * Rules: an `open` wins over an `open` only with a later reopen time (the latest reopen wins); an
 * `open` already past its reopen time is stale and not written; a `closed` is accepted when the
 * fleet is closed already (no-op), when the fleet's open has reached its reopen time (it was in
 * half-open, where a probe may close it), or when forced. A record that cannot be parsed (garbage
 * in the key, or a key of another type) counts as absent and is overwritten, and so does one whose
 * version is further ahead of server time than the skew allowance, and an open whose reopen time
 * lies beyond the writer's maxOpenDuration plus the allowance (no forged open outlives the
 * writer's own bound, nor keeps its trips and closes from the fleet). An accepted record gets a
 * version (server time in ms, strictly greater than the one it replaced), is stored with a TTL and
 * published. Returns `{ accepted (1|0), record JSON or false }`: the fleet's record after the call.
 */
export const SET_STATE: LuaScript = new LuaScript(`
local cur = nil
local now = tonumber(ARGV[8])
local maxOpen = tonumber(ARGV[10])
local skew = tonumber(ARGV[11])
local t = redis.call('TIME')
local ver = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local raw = redis.pcall('GET', KEYS[1])
if type(raw) == 'string' then
  local ok, v = pcall(cjson.decode, raw)
  if ok and type(v) == 'table' and (v.s == 'open' or v.s == 'closed')
    and type(v.r) == 'number' and type(v.v) == 'number' and type(v.n) == 'string'
    and type(v.o) == 'string' and v.v <= ver + skew then
    cur = v
  end
end
if cur == nil then raw = false end
if cur and cur.v >= ver then ver = cur.v + 1 end
if cur and cur.s == 'open' and cur.r > now + maxOpen + skew then cur = nil end
local state = ARGV[3]
local reopenAt = tonumber(ARGV[4])
local ttl = tonumber(ARGV[6])
if state == 'open' then
  if reopenAt <= now then return {0, raw} end
  if cur and cur.s == 'open' and cur.r >= reopenAt then return {0, raw} end
elseif ARGV[7] ~= '1' and cur then
  if cur.s == 'closed' then return {0, raw} end
  if cur.r > now then return {0, raw} end
end
local msg = cjson.encode({n = ARGV[2], s = state, r = reopenAt, v = ver, o = ARGV[5]})
if state == 'open' then ttl = ttl + (reopenAt - now) end
redis.call('SET', KEYS[1], msg, 'PX', math.max(1, math.floor(ttl)))
redis.call(ARGV[9], ARGV[1], msg)
return {1, msg}
`);

/**
 * Takes the probe lease of one open round: `SET NX PX`, and when it is taken already, tells who
 * holds it and for how long. KEYS[1] the lease key. ARGV: owner, ttl ms.
 * Returns `{ held (1|0), remaining ms }`.
 */
export const TAKE_LEASE: LuaScript = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, tonumber(ARGV[2])}
end
local holder = redis.pcall('GET', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if holder == ARGV[1] then return {1, ttl} end
return {0, ttl}
`);

/**
 * Adds each breaker's new counts to its current time bucket and sums its recent buckets.
 * KEYS: for each breaker, its bucket keys, current bucket first. ARGV[1] breaker count, then for
 * each breaker: key count, `1` when the current bucket is read too (else only added to), calls,
 * failures, slow calls, bucket ttl ms.
 * Returns a flat list: calls, failures, slow calls for each breaker. Unreadable buckets count as 0.
 */
export const ADD_COUNTS: LuaScript = new LuaScript(`
local out = {}
local k = 1
local a = 2
for b = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[a])
  local first = k
  if ARGV[a + 1] ~= '1' then first = k + 1 end
  local dc, df, ds, ttl = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), ARGV[a + 5]
  a = a + 6
  if dc > 0 or df > 0 or ds > 0 then
    local failed = false
    for _, field in ipairs({{'c', dc}, {'f', df}, {'s', ds}}) do
      local r = redis.pcall('HINCRBY', KEYS[k], field[1], field[2])
      if type(r) == 'table' and r.err then failed = true end
    end
    if failed then
      redis.call('DEL', KEYS[k])
      redis.call('HSET', KEYS[k], 'c', dc, 'f', df, 's', ds)
    end
    redis.call('PEXPIRE', KEYS[k], ttl)
  end
  local c, f, s = 0, 0, 0
  for i = first, k + n - 1 do
    local v = redis.pcall('HMGET', KEYS[i], 'c', 'f', 's')
    if type(v) == 'table' and not v.err then
      c = c + (tonumber(v[1]) or 0)
      f = f + (tonumber(v[2]) or 0)
      s = s + (tonumber(v[3]) or 0)
    end
  end
  out[#out + 1] = c
  out[#out + 1] = f
  out[#out + 1] = s
  k = k + n
end
return out
`);

/**
 * Stores one cache record within a byte bound. KEYS[1] the entry, KEYS[2] the index (sorted set:
 * member → expiry time), KEYS[3] the sizes (hash: member → bytes, plus the total). ARGV: member,
 * value, ttl ms, now (wall ms), max bytes, entry key prefix. Drops expired entries, then the ones
 * expiring soonest until the new one fits; a value larger than the bound is not stored.
 * Returns 1 when stored, 0 when too large.
 */
export const CACHE_SET: LuaScript = new LuaScript(`
local TOTAL = '\\0total'
local function drop(member)
  local size = tonumber(redis.call('HGET', KEYS[3], member)) or 0
  redis.call('HDEL', KEYS[3], member)
  redis.call('ZREM', KEYS[2], member)
  redis.call('HINCRBY', KEYS[3], TOTAL, -size)
end
local member, value = ARGV[1], ARGV[2]
local ttl, now, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('ZSCORE', KEYS[2], member) then drop(member) end
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  drop(old)
  redis.call('DEL', ARGV[6] .. old)
end
local size = #value + #member
if size > max then
  redis.call('DEL', KEYS[1])
  return 0
end
local total = tonumber(redis.call('HGET', KEYS[3], TOTAL)) or 0
while total + size > max do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not oldest then break end
  drop(oldest)
  redis.call('DEL', ARGV[6] .. oldest)
  total = tonumber(redis.call('HGET', KEYS[3], TOTAL)) or 0
end
if total < 0 then redis.call('HSET', KEYS[3], TOTAL, 0) end
redis.call('SET', KEYS[1], value, 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, member)
redis.call('HSET', KEYS[3], member, size)
redis.call('HINCRBY', KEYS[3], TOTAL, size)
return 1
`);

/** Deletes one cache record and its accounting. KEYS as {@link CACHE_SET}; ARGV[1] the member. */
export const CACHE_DELETE: LuaScript = new LuaScript(`
local size = tonumber(redis.call('HGET', KEYS[3], ARGV[1])) or 0
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], '\\0total', -size)
redis.call('DEL', KEYS[1])
return 1
`);
