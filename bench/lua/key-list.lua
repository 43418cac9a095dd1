-- wrk script: GETs the keys listed in a file (one per line), each thread starting at a random line.
-- Usage: wrk ... -s bench/lua/key-list.lua URL -- KEYS_FILE GROUP
local keys = {}
local prefix

init = function(args)
  for line in io.lines(args[1]) do
    keys[#keys + 1] = line
  end
  prefix = "/v1/groups/" .. (args[2] or "default") .. "/keys/"
  position = math.random(#keys)
end

request = function()
  position = position % #keys + 1
  return wrk.format("GET", prefix .. keys[position])
end
