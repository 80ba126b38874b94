// The anchor of bench/planning-assign.ts: LEMON's network simplex (block search pivot) on the same flow network the
// TypeScript solver builds (points -> shelters at walking cost, shelters -> sink with their places, points -> sink
// "uncovered" at cost M). Reads the instance as text on stdin, prints "covered cost wall-milliseconds cpu-milliseconds"
// (the time from building the graph to the optimum; CPU time too, since the machine may be shared).
//   g++ -O2 -o planning-lemon bench/planning-lemon.cpp   (LEMON's network simplex is header-only)
#include <lemon/smart_graph.h>
#include <lemon/network_simplex.h>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <vector>
using namespace lemon;

int main() {
  int D, S, A;
  if (std::scanf("%d %d %d", &D, &S, &A) != 3) return 2;
  std::vector<long long> demand(D), places(S);
  std::vector<int> from(A), to(A);
  std::vector<long long> cost(A);
  for (auto &d : demand) std::scanf("%lld", &d);
  for (auto &p : places) std::scanf("%lld", &p);
  long long maxCost = 0;
  for (int k = 0; k < A; k++) {
    std::scanf("%d %d %lld", &from[k], &to[k], &cost[k]);
    if (cost[k] > maxCost) maxCost = cost[k];
  }
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  SmartDigraph g;
  std::vector<SmartDigraph::Node> dn(D), sn(S);
  for (int i = 0; i < D; i++) dn[i] = g.addNode();
  for (int j = 0; j < S; j++) sn[j] = g.addNode();
  SmartDigraph::Node sink = g.addNode();
  SmartDigraph::ArcMap<long long> cap(g), c(g);
  SmartDigraph::NodeMap<long long> supply(g, 0);
  const long long INF = std::numeric_limits<long long>::max();
  long long M = maxCost * std::min(D, S) + 1, total = 0;
  std::vector<SmartDigraph::Arc> arcs(A);
  for (int k = 0; k < A; k++) { arcs[k] = g.addArc(dn[from[k]], sn[to[k]]); cap[arcs[k]] = INF; c[arcs[k]] = cost[k]; }
  for (int j = 0; j < S; j++) { auto a = g.addArc(sn[j], sink); cap[a] = places[j]; c[a] = 0; }
  for (int i = 0; i < D; i++) { auto a = g.addArc(dn[i], sink); cap[a] = INF; c[a] = M; supply[dn[i]] = demand[i]; total += demand[i]; }
  supply[sink] = -total;
  NetworkSimplex<SmartDigraph, long long, long long> ns(g);
  ns.upperMap(cap).costMap(c).supplyMap(supply);
  if (ns.run() != NetworkSimplex<SmartDigraph, long long, long long>::OPTIMAL) return 3;
  long long covered = 0, walk = 0;
  for (int k = 0; k < A; k++) { long long f = ns.flow(arcs[k]); covered += f; walk += f * cost[k]; }
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  double cpuMs = 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf("%lld %lld %.1f %.1f\n", covered, walk, ms, cpuMs);
  return 0;
}
