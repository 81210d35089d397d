"""Writes the hostile report shapes of issue #12 (gzipped JSON) into the current folder, for Scripts/bench-hostile:
f1/f2 sums past 2^53 (1,024 details of 2^53, alike or over distinct additional-information), f3 100,000 receiving
IPs in one group, f4h/f4t 50,000 distinct MX hosts / result types, f5 no policies, good, and sat/: 1,100 reports
of 2^53 failed sessions each."""
import json, gzip, os
M = 2**53
def rep(details, succ=10, fail=None, rid="x", domain="example.com", policies=None):
    if fail is None: fail = min(sum(d["failed-session-count"] for d in details), M)
    pol = policies if policies is not None else [{"policy":{"policy-type":"sts","policy-domain":domain,"policy-string":["version: STSv1","mode: enforce","mx: *.example.com","max_age: 86400"]},
            "summary":{"total-successful-session-count":succ,"total-failure-session-count":fail},"failure-details":details}]
    return {"organization-name":"Hostile","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},
            "contact-info":"x@example.com","report-id":rid,"policies":pol}
def d(**k): return dict({"result-type":"certificate-expired","receiving-mx-hostname":"mx.example.com","receiving-ip":"192.0.2.1","failed-session-count":1}, **k)
def w(name, obj):
    with gzip.open(name, "wt") as f: json.dump(obj, f)
w("f1.json.gz", rep([d(**{"failed-session-count":M}) for _ in range(1024)], succ=0, fail=M, rid="f1"))
w("f2.json.gz", rep([d(**{"failed-session-count":M,"additional-information":f"i{i}"}) for i in range(1024)], succ=0, fail=M, rid="f2"))
w("f3.json.gz", rep([d(**{"receiving-ip":f"10.{i//65536%256}.{i//256%256}.{i%256}"}) for i in range(100000)], rid="f3"))
w("f4h.json.gz", rep([d(**{"receiving-mx-hostname":f"mx{i}.flood.example"}) for i in range(50000)], rid="f4h"))
w("f4t.json.gz", rep([d(**{"result-type":f"made-up-{i}"}) for i in range(50000)], rid="f4t"))
w("f5.json.gz", rep([], policies=[], rid="f5"))
w("good.json.gz", rep([d()], rid="good"))
# 1,100 reports of 2^53 each (saturating sums across reports)
os.makedirs("sat", exist_ok=True)
for i in range(1100):
    w(f"sat/s{i}.json.gz", rep([d(**{"failed-session-count":M})], fail=M, succ=0, rid=f"s{i}"))
