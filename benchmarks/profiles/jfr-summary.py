"""Summarises a JFR recording of LlmBenchmark: CPU samples and allocation samples of the LLM path (samples
with an agentgateway-llm frame on the stack), by gateway method and by top frame.
Usage: JAVA_HOME=... python3 benchmarks/profiles/jfr-summary.py recording.jfr"""
import collections, os, re, subprocess, sys
JFR = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if os.environ.get("JAVA_HOME") else "jfr"
rec = sys.argv[1]
OWN = ("dev.agentgateway.llm.", "dev.agentgateway.core.")
def events(kind):
    out = subprocess.run([JFR, "print", "--stack-depth", "96", "--events", kind, rec], capture_output=True, text=True).stdout
    for block in out.split(kind + " {")[1:]:
        m = re.search(r"stackTrace = \[(.*?)\n\s*\]", block, re.S)
        frames = [re.sub(r"\s+line:.*$", "", l.strip()) for l in m.group(1).strip().splitlines()] if m else []
        frames = [f for f in frames if f and f != "..."]
        yield block, frames
def short(f):
    return re.sub(r"\(.*\)", "()", f)
cpu_total = 0; llm = 0; self_all = collections.Counter(); incl = collections.Counter(); self_llm = collections.Counter()
for block, frames in events("jdk.ExecutionSample"):
    cpu_total += 1
    if not frames: continue
    if any(f.startswith("dev.agentgateway.llm.") for f in frames):
        llm += 1
        self_llm[short(frames[0])] += 1
        for f in set(short(x) for x in frames if x.startswith(OWN)):
            incl[f] += 1
alloc = collections.Counter(); alloc_site = collections.Counter(); alloc_total = 0; alloc_llm = 0
for block, frames in events("jdk.ObjectAllocationSample"):
    w = re.search(r"weight = ([\d.]+) (\w+)", block)
    if not w: continue
    n = float(w.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}.get(w.group(2), 1)
    alloc_total += n
    if not any(f.startswith("dev.agentgateway.llm.") for f in frames): continue
    alloc_llm += n
    cls = re.search(r"objectClass = (\S+)", block).group(1)
    alloc[cls] += n
    own = next((short(f) for f in frames if f.startswith(OWN)), "?")
    alloc_site[own] += n
print(f"recording {rec.split('/')[-1]}: {cpu_total} CPU samples, {llm} ({100*llm/max(1,cpu_total):.0f} %) with an agentgateway-llm frame on the stack")
print("\n## CPU: gateway methods on the stack (inclusive, % of the LLM-path samples)")
for f, c in incl.most_common(25): print(f"{100*c/llm:5.1f} %  {f}")
print("\n## CPU: top frames (self) of the LLM-path samples")
for f, c in self_llm.most_common(25): print(f"{100*c/llm:5.1f} %  {f}")
print(f"\n## Allocation (sampled weight): {alloc_total/1e9:.1f} GB in all, {alloc_llm/1e9:.1f} GB with an agentgateway-llm frame on the stack")
print("### by class (LLM path)")
for f, c in alloc.most_common(15): print(f"{100*c/alloc_llm:5.1f} %  {f}")
print("### by the innermost gateway method allocating (LLM path)")
for f, c in alloc_site.most_common(20): print(f"{100*c/alloc_llm:5.1f} %  {f}")
