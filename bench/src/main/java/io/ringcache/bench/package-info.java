package io.ringcache.bench;
