vcl 4.1;
# Varnish in front of Plutarch (issue 20). Debian: apt install varnish; put this file in
# /etc/varnish/default.vcl (or point varnishd -f at it) and start Plutarch with
#   plutarch serve --addr 127.0.0.1:3000 --base-url https://wiki.example.org \
#                  --purge-url http://127.0.0.1:6081 --cdn-max-age 1h
# Check it compiles with: varnishd -C -f deploy/varnish.vcl
#
# - Anonymous GETs and HEADs are cached for the s-maxage Plutarch sends (--cdn-max-age);
#   answers that say private or no-store are never kept (Varnish's built-in rules).
# - Requests with a cookie or a token pass straight through: their answers are for one person.
# - PURGE is accepted only from the wiki's own address (the purgers ACL); a PURGE with
#   X-Purge-All bans the whole site (a change Plutarch cannot name, an import).
# - Writes (and everything that is not GET or HEAD) go to the primary, uncached.
# - Read replicas (`plutarch serve --replica-of`): uncomment the replica backends and the
#   director below; reads then go round-robin to the healthy replicas (the primary when none
#   is), while writes and every request of an editor who just saved (the `plutarch_rev`
#   cookie the primary sets for a few seconds) go to the primary, uncached, so the editor
#   always sees their own edit. bench/replicas.sh runs this layout.

import std;
# import directors;

backend primary {
    .host = "127.0.0.1";
    .port = "3000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# backend replica1 {
#     .host = "127.0.0.1";
#     .port = "3001";
#     .probe = { .url = "/healthz"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; }
# }
# backend replica2 { ... as replica1, on port 3002 ... }
#
# sub vcl_init {
#     new reads = directors.round_robin();
#     reads.add_backend(replica1);
#     reads.add_backend(replica2);
# }

# Where `plutarch serve --purge-url` runs: only it may purge.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = primary;
    # With replicas: reads go to them while one is healthy.
    # set req.backend_hint = reads.backend();
    # if (!std.healthy(req.backend_hint)) {
    #     set req.backend_hint = primary;
    # }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.X-Purge-All == "yes") {
            ban("obj.status != 0");
            return (synth(200, "Banned"));
        }
        return (purge);
    }

    # Writes go to the primary, never cached (and never answered from the cache).
    if (req.method != "GET" && req.method != "HEAD") {
        set req.backend_hint = primary;
        return (pass);
    }

    # Someone who just saved reads from the primary until the cookie expires: a replica may
    # not hold their revision yet (it would send them there with a 307 anyway).
    if (req.http.Cookie ~ "(^|;\s*)plutarch_rev=") {
        set req.backend_hint = primary;
        return (pass);
    }

    # A signed-in user (session cookie) or a token: the answer is theirs alone.
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }

    # The health check must reach the server itself.
    if (req.url == "/healthz") {
        return (pass);
    }

    return (hash);
}

sub vcl_backend_response {
    # Plutarch says who may keep what (Cache-Control: public, s-maxage=N / private, no-store).
    # An answer that sets a cookie is someone's, whatever it says.
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep an expired copy a while to revalidate it with its ETag / Last-Modified (304s).
    set beresp.keep = 1h;
    return (deliver);
}

sub vcl_deliver {
    # Browsers must ask again every time (max-age=0 already says so); only shared caches may
    # keep answers, and only this one is purged on every edit.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
