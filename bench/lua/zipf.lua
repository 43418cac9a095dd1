-- wrk script: GETs keys key:1 .. key:N drawn from a Zipf distribution (rank r with weight 1/r^s).
-- Usage: wrk ... -s bench/lua/zipf.lua URL -- N S GROUP
local cumulative = {}
local total = 0
local n
local prefix

init = function(args)
  n = tonumber(args[1])
  local s = tonumber(args[2])
  for r = 1, n do
    total = total + 1 / (r ^ s)
    cumulative[r] = total
  end
  prefix = "/v1/groups/" .. (args[3] or "default") .. "/keys/key:"
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

request = function()
  local target = math.random() * total
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < target then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", prefix .. lo)
end
