import { InvalidDataError, UsageError } from '@fingan/gan-core';

/**
 * Frequent-itemset mining with FP-growth (Han, Pei & Yin, 2000): an FP-tree with a header table (each item's
 * node-link chain), and for each item a conditional FP-tree built from its conditional pattern base.
 *
 * Built to mine a million baskets in seconds:
 * - Trees live in flat typed arrays (four int32 fields per node, side by side), not node objects: millions of
 *   objects would spend the time in the garbage collector and in cache misses.
 * - The global tree is built from the baskets sorted lexicographically (MSD radix sort on item ranks): each
 *   basket then shares its longest common prefix with the one before it, so no child lookup is needed, and the
 *   nodes come out in depth-first order, which keeps later walks up the tree cache-friendly.
 * - The first-level conditional trees, by far the biggest job, are built in a few sequential sweeps over the
 *   global tree (a batch of items per sweep) instead of chasing parent links across hundreds of megabytes: in
 *   depth-first order the current root path sits on a small stack, so each item node finds its prefix path
 *   there. The items frequent in each pattern base come from a pair-count matrix filled while reading the
 *   baskets (Grahne & Zhu's FP-array).
 * - Deeper conditional pattern bases are never materialised path by path either. The union of the prefix paths
 *   of an item's nodes is a subtree; each of its nodes is visited once, its count below is accumulated
 *   bottom-up, and it is mapped onto the conditional tree top-down.
 * - Conditional trees keep the global item order (any fixed order is correct), so nothing is re-sorted.
 */

export interface FrequentItemset {
  /** Item ids, ascending. */
  items: number[];
  /** Fraction of baskets that contain every item. */
  support: number;
  /** Number of baskets that contain every item. */
  count: number;
}

export interface FpGrowthOptions {
  /** Smallest support (a fraction in (0, 1]) an itemset needs to be reported. */
  minSupport: number;
  /** Longest itemset to report (default: no limit). */
  maxLength?: number;
}

export type Baskets = ReadonlyArray<ArrayLike<number>>;

/** Item ids above this are compacted through a Map instead of indexing a dense array. */
const DENSE_ID_LIMIT = 1 << 20;
/** Largest number of frequent items for which the pair-count matrix (4 bytes a pair) is kept. */
const MAX_PAIR_ITEMS = 4096;

/** The count an itemset needs: the tolerance keeps e.g. 0.7 x 10 = 7.000000000000001 from demanding 8. */
export function minCountFor(minSupport: number, nBaskets: number): number {
  return Math.max(1, Math.ceil(minSupport * nBaskets - 1e-9));
}

export function validateMinSupport(minSupport: unknown): asserts minSupport is number {
  if (typeof minSupport !== 'number' || !Number.isFinite(minSupport) || minSupport <= 0 || minSupport > 1) {
    throw new UsageError(`minSupport must be a fraction in (0, 1], got ${String(minSupport)}`, { flag: 'minSupport' });
  }
}

function validateMaxLength(maxLength: unknown): number {
  if (maxLength === undefined) return Number.POSITIVE_INFINITY;
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1) {
    throw new UsageError(`maxLength must be an integer >= 1, got ${String(maxLength)}`, { flag: 'maxLength' });
  }
  return maxLength;
}

/**
 * Node fields, interleaved so that everything mining touches about a node sits in one cache line: on big trees
 * the time goes into memory stalls, not arithmetic.
 */
const ITEM = 0;
const PARENT = 1;
const COUNT = 2;
/** Next node with the same item: the header table's node-link chain, in creation order. */
const LINK = 3;
/** Scratch for deriving a conditional tree (see `Miner.conditionalTree`): visit mark, count below, image. */
const STAMP = 4;
const ACC = 5;
const IMAGE = 6;
const STRIDE = 8;

/** A growable FP-tree. Node 0 is the root; a node is always created after its parent. */
class FpTree {
  nItems = 0;
  size = 0;
  nd = new Int32Array(16 * STRIDE);
  /** First and last node of each item's chain, and the item's total count in this tree. */
  head = new Int32Array(16);
  tail = new Int32Array(16);
  itemCount = new Int32Array(16);
  /** Number of nodes per item: a tree whose items all have one node is checked for being a single path. */
  nodesOfItem = new Int32Array(16);
  /** Child lookup by (parent, item), open addressing; unused (empty) for the global tree, built pre-sorted. */
  private table = new Int32Array(0);
  private mask = -1;
  /** Nodes visited while deriving a conditional tree. */
  order = new Int32Array(0);

  /** Empty the tree for `nItems` local items, sized for about `expectedNodes` nodes. */
  reset(nItems: number, expectedNodes: number, withLookup: boolean): void {
    this.nItems = nItems;
    if (this.head.length < nItems) {
      this.head = new Int32Array(nItems);
      this.tail = new Int32Array(nItems);
      this.itemCount = new Int32Array(nItems);
      this.nodesOfItem = new Int32Array(nItems);
    }
    this.head.fill(-1, 0, nItems);
    this.tail.fill(-1, 0, nItems);
    this.itemCount.fill(0, 0, nItems);
    this.nodesOfItem.fill(0, 0, nItems);
    const cap = Math.max(16, expectedNodes + 1);
    if (this.nd.length < cap * STRIDE) this.growNodes(cap);
    if (withLookup) {
      // A table left from an earlier, bigger tree is reused: only the part in use is cleared.
      let tsize = 32;
      while (tsize < cap * 2) tsize <<= 1;
      if (this.table.length < tsize) this.table = new Int32Array(tsize);
      this.mask = tsize - 1;
      this.table.fill(-1, 0, tsize);
    } else this.mask = -1;
    this.size = 1;
    this.nd[ITEM] = -1;
    this.nd[PARENT] = -1;
    this.nd[COUNT] = 0;
    this.nd[LINK] = -1;
  }

  private growNodes(cap: number): void {
    let n = Math.max(16, this.nd.length / STRIDE);
    while (n < cap) n *= 2;
    const b = new Int32Array(n * STRIDE);
    b.set(this.nd.subarray(0, this.size * STRIDE));
    this.nd = b;
  }

  private rehash(): void {
    const tsize = (this.mask + 1) * 2;
    this.table = new Int32Array(tsize).fill(-1);
    this.mask = tsize - 1;
    const { table, mask, nd } = this;
    for (let node = 1; node < this.size; node++) {
      let h = hashKey(nd[node * STRIDE + PARENT], nd[node * STRIDE + ITEM]) & mask;
      while (table[h] !== -1) h = (h + 1) & mask;
      table[h] = node;
    }
  }

  /** Append a node (count `cnt`) under `parent`, without looking for an existing child. */
  append(parent: number, item: number, cnt: number): number {
    if (this.size * STRIDE >= this.nd.length) this.growNodes(this.size + 1);
    const node = this.size++;
    const o = node * STRIDE;
    const nd = this.nd;
    nd[o + ITEM] = item;
    nd[o + PARENT] = parent;
    nd[o + COUNT] = cnt;
    nd[o + LINK] = -1;
    nd[o + STAMP] = 0;
    if (this.tail[item] === -1) this.head[item] = node;
    else nd[this.tail[item] * STRIDE + LINK] = node;
    this.tail[item] = node;
    this.nodesOfItem[item]++;
    this.itemCount[item] += cnt;
    return node;
  }

  /** The child of `parent` holding `item`, created with count 0 if missing (needs `withLookup`). */
  child(parent: number, item: number): number {
    const { table, mask, nd } = this;
    let h = hashKey(parent, item) & mask;
    let c = table[h];
    while (c !== -1) {
      if (nd[c * STRIDE + PARENT] === parent && nd[c * STRIDE + ITEM] === item) return c;
      h = (h + 1) & mask;
      c = table[h];
    }
    c = this.append(parent, item, 0);
    table[h] = c;
    // Keep the load factor under 1/2 so probe runs stay short.
    if (this.size * 2 > mask) this.rehash();
    return c;
  }

  addCount(node: number, cnt: number): void {
    this.nd[node * STRIDE + COUNT] += cnt;
    this.itemCount[this.nd[node * STRIDE + ITEM]] += cnt;
  }

  /** Make sure the visit list can hold every node. */
  scratch(): void {
    if (this.order.length < this.size) this.order = new Int32Array(this.nd.length / STRIDE);
  }
}

function hashKey(parent: number, item: number): number {
  return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(item + 1, 0x85ebca77)) >>> 0;
}

/** Everything one mining run shares: the output, thresholds and per-depth scratch space. */
class Miner {
  readonly out: { items: Int32Array; count: number }[] = [];
  private readonly trees: FpTree[] = [];
  private readonly localCount: Int32Array;
  private readonly localId: Int32Array;
  private readonly up: Int32Array;
  /** Marks scratch entries as belonging to the current conditional tree, so they never need clearing. */
  private token = 0;

  constructor(
    private readonly minCount: number,
    private readonly maxLength: number,
    /** Global rank -> original item id. */
    private readonly itemOfRank: Int32Array,
  ) {
    const n = itemOfRank.length;
    this.localCount = new Int32Array(n);
    this.localId = new Int32Array(n).fill(-1);
    this.up = new Int32Array(n + 1);
  }

  treeAt(depth: number): FpTree {
    while (this.trees.length <= depth) this.trees.push(new FpTree());
    return this.trees[depth];
  }

  /** First-level conditional trees being built in one sweep, by batch slot. */
  private readonly batchTrees: FpTree[] = [];

  /**
   * Mine the global tree (nodes in depth-first order). `pairs[b * nItems + a]` (a < b) counts the baskets with
   * both items; without it (too many items for the matrix) the tree is mined like any other.
   */
  mineGlobal(tree: FpTree, pairs: Int32Array | null, maxDepth: number, suffix: Int32Array): void {
    const n = tree.nItems;
    const ranks = new Int32Array(n);
    for (let r = 0; r < n; r++) ranks[r] = r;
    if (pairs === null || this.isSinglePath(tree)) {
      this.mine(tree, ranks, suffix, 0, 0);
      return;
    }
    for (let j = n - 1; j >= 0; j--) {
      suffix[0] = j;
      this.emit(suffix, 1, tree.itemCount[j]);
    }
    if (this.maxLength < 2) return;
    // Batches of items whose nodes add up to an eighth of the tree (or one item): the conditional trees of a
    // batch are held at once, and the tree is swept once per batch.
    const budget = Math.max(1 << 16, tree.size >>> 3);
    let j = n - 1;
    while (j >= 1) {
      const batch: number[] = [];
      let nodes = 0;
      while (j >= 1 && batch.length < 64 && (batch.length === 0 || nodes + tree.nodesOfItem[j] <= budget)) {
        nodes += tree.nodesOfItem[j];
        batch.push(j--);
      }
      this.sweep(tree, batch, pairs, maxDepth, suffix);
    }
  }

  /** Build the conditional trees of the items in `batch` in one depth-first sweep of `tree`, then mine them. */
  private sweep(tree: FpTree, batch: number[], pairs: Int32Array, maxDepth: number, suffix: Int32Array): void {
    const { minCount } = this;
    const n = tree.nItems;
    const nb = batch.length;
    const width = maxDepth + 1;
    const slot = new Int32Array(n).fill(-1);
    const localIds = new Int32Array(nb * n).fill(-1);
    const parentLocal: Int32Array[] = [];
    for (let s = 0; s < nb; s++) {
      const j = batch[s];
      let nFreq = 0;
      for (let i = 0; i < j; i++) if (pairs[j * n + i] >= minCount) localIds[s * n + i] = nFreq++;
      const pl = new Int32Array(nFreq);
      for (let i = 0; i < j; i++) if (localIds[s * n + i] >= 0) pl[localIds[s * n + i]] = i;
      parentLocal.push(pl);
      if (nFreq === 0) continue;
      slot[j] = s;
      while (this.batchTrees.length <= s) this.batchTrees.push(new FpTree());
      this.batchTrees[s].reset(nFreq, Math.min(tree.nodesOfItem[j] * 2, 1 << 22), true);
    }
    // For each slot, the path (global nodes) whose images in its conditional tree are known, and those images.
    const matNode = new Int32Array(nb * width).fill(-1);
    const matImage = new Int32Array(nb * width);
    const matLen = new Int32Array(nb);
    const stack = new Int32Array(width + 1);
    const nd = tree.nd;
    let top = 0;
    for (let v = 1; v < tree.size; v++) {
      const p = nd[v * STRIDE + PARENT];
      while (stack[top] !== p) top--;
      stack[++top] = v;
      const s = slot[nd[v * STRIDE + ITEM]];
      if (s < 0) continue;
      // v's prefix path is stack[1 .. top-1]; reuse the images of the part shared with the slot's last path.
      const cond = this.batchTrees[s];
      const mo = s * width;
      const lo = s * n;
      const last = top - 1;
      const lim = matLen[s] < last ? matLen[s] : last;
      let k = 1;
      while (k <= lim && matNode[mo + k] === stack[k]) k++;
      let img = k === 1 ? 0 : matImage[mo + k - 1];
      for (let t = k; t <= last; t++) {
        const x = stack[t];
        const id = localIds[lo + nd[x * STRIDE + ITEM]];
        if (id >= 0) img = cond.child(img, id);
        matNode[mo + t] = x;
        matImage[mo + t] = img;
      }
      matLen[s] = last;
      // The count goes to the deepest image; subtree sums below turn these into node counts.
      if (img > 0) cond.nd[img * STRIDE + COUNT] += nd[v * STRIDE + COUNT];
    }
    for (let s = 0; s < nb; s++) {
      const j = batch[s];
      if (slot[j] < 0) continue;
      const cond = this.batchTrees[s];
      const cnd = cond.nd;
      // Children are created after their parents, so one backward pass sums every subtree.
      for (let c = cond.size - 1; c >= 1; c--) {
        const cnt = cnd[c * STRIDE + COUNT];
        const p = cnd[c * STRIDE + PARENT];
        if (p > 0) cnd[p * STRIDE + COUNT] += cnt;
        cond.itemCount[cnd[c * STRIDE + ITEM]] += cnt;
      }
      suffix[0] = j;
      this.mine(cond, parentLocal[s], suffix, 1, 1);
    }
  }

  emit(suffix: Int32Array, suffixLen: number, count: number): void {
    const items = new Int32Array(suffixLen);
    for (let i = 0; i < suffixLen; i++) items[i] = this.itemOfRank[suffix[i]];
    this.out.push({ items, count });
  }

  /**
   * Mine `tree`, whose local item j stands for global rank `ranks[j]`; `suffix[0..suffixLen)` (global ranks) is
   * the itemset every pattern in this tree is conditioned on.
   */
  mine(tree: FpTree, ranks: Int32Array, suffix: Int32Array, suffixLen: number, depth: number): void {
    if (this.isSinglePath(tree)) {
      this.minePath(tree, ranks, suffix, suffixLen);
      return;
    }
    const { minCount, maxLength } = this;
    for (let j = tree.nItems - 1; j >= 0; j--) {
      const support = tree.itemCount[j];
      if (support < minCount) continue;
      suffix[suffixLen] = ranks[j];
      this.emit(suffix, suffixLen + 1, support);
      if (suffixLen + 1 >= maxLength || j === 0) continue;
      const child = this.conditionalTree(tree, j, depth + 1);
      if (child === null) continue;
      this.mine(child.tree, mapRanks(child.parentLocalOf, ranks), suffix, suffixLen + 1, depth + 1);
    }
  }

  /**
   * Conditional FP-tree of local item `j`, keeping only the items frequent in j's conditional pattern base.
   *
   * The prefix paths of j's nodes together form a subtree U of `tree`. Walking up from each j-node until an
   * already visited node collects U; since chains run in creation order and a node is created after its
   * parent, sorting U ascending lists parents before children. Then: bottom-up, ACC(x) = how many baskets
   * with j pass through x (which gives the item counts of the pattern base), and top-down, each x with a
   * frequent item maps to a child of its parent's IMAGE in the conditional tree, which receives ACC(x).
   */
  private conditionalTree(tree: FpTree, j: number, depth: number): { tree: FpTree; parentLocalOf: Int32Array } | null {
    const { minCount, localCount, localId, up } = this;
    tree.scratch();
    const { nd, order } = tree;
    const token = ++this.token;
    let m = 0;
    let sorted = true;
    for (let v = tree.head[j]; v !== -1; v = nd[v * STRIDE + LINK]) {
      const pv = nd[v * STRIDE + PARENT];
      let k = 0;
      for (let p = pv; p > 0 && nd[p * STRIDE + STAMP] !== token; p = nd[p * STRIDE + PARENT]) {
        nd[p * STRIDE + STAMP] = token;
        nd[p * STRIDE + ACC] = 0;
        up[k++] = p;
      }
      while (k > 0) {
        const x = up[--k];
        if (m > 0 && x < order[m - 1]) sorted = false;
        order[m++] = x;
      }
      if (pv > 0) nd[pv * STRIDE + ACC] += nd[v * STRIDE + COUNT];
    }
    if (m === 0) return null;
    const u = order.subarray(0, m);
    if (!sorted) u.sort();
    for (let q = m - 1; q >= 0; q--) {
      const o = u[q] * STRIDE;
      const a = nd[o + ACC];
      localCount[nd[o + ITEM]] += a;
      const px = nd[o + PARENT];
      if (px > 0) nd[px * STRIDE + ACC] += a;
    }
    let nFreq = 0;
    for (let i = 0; i < j; i++) if (localCount[i] >= minCount) nFreq++;
    if (nFreq === 0) {
      localCount.fill(0, 0, j);
      return null;
    }
    // Local ids follow the parent tree's order, so conditional trees keep the global item order.
    const parentLocalOf = new Int32Array(nFreq);
    let k = 0;
    for (let i = 0; i < j; i++) {
      if (localCount[i] >= minCount) {
        localId[i] = k;
        parentLocalOf[k++] = i;
      } else localId[i] = -1;
      localCount[i] = 0;
    }
    const cond = this.treeAt(depth);
    cond.reset(nFreq, m, true);
    for (let q = 0; q < m; q++) {
      const o = u[q] * STRIDE;
      const px = nd[o + PARENT];
      const base = px > 0 ? nd[px * STRIDE + IMAGE] : 0;
      const id = localId[nd[o + ITEM]];
      if (id >= 0) {
        const c = cond.child(base, id);
        cond.addCount(c, nd[o + ACC]);
        nd[o + IMAGE] = c;
      } else nd[o + IMAGE] = base;
    }
    return { tree: cond, parentLocalOf };
  }

  private isSinglePath(tree: FpTree): boolean {
    for (let i = 0; i < tree.nItems; i++) if (tree.nodesOfItem[i] > 1) return false;
    // One node per item: it is a single path exactly when node k hangs below node k - 1 (on a chain a node is
    // created right after its parent).
    for (let node = 2; node < tree.size; node++) if (tree.nd[node * STRIDE + PARENT] !== node - 1) return false;
    return true;
  }

  /** On a single path every combination of its nodes is frequent with the count of its deepest node. */
  private minePath(tree: FpTree, ranks: Int32Array, suffix: Int32Array, suffixLen: number): void {
    const nodes: number[] = [];
    for (let node = 1; node < tree.size; node++) if (tree.nd[node * STRIDE + COUNT] >= this.minCount) nodes.push(node);
    const m = nodes.length;
    const maxPick = Math.min(m, this.maxLength - suffixLen);
    const pick = new Int32Array(m);
    const rec = (start: number, picked: number, count: number) => {
      for (let i = start; i < m; i++) {
        pick[picked] = nodes[i];
        const c = tree.nd[nodes[i] * STRIDE + COUNT];
        const cnt = c < count ? c : count;
        for (let q = 0; q <= picked; q++) suffix[suffixLen + q] = ranks[tree.nd[pick[q] * STRIDE + ITEM]];
        this.emit(suffix, suffixLen + picked + 1, cnt);
        if (picked + 1 < maxPick) rec(i + 1, picked + 1, cnt);
      }
    };
    if (maxPick > 0) rec(0, 0, Number.MAX_SAFE_INTEGER);
  }
}

function mapRanks(local: Int32Array, ranks: Int32Array): Int32Array {
  const out = new Int32Array(local.length);
  for (let i = 0; i < local.length; i++) out[i] = ranks[local[i]];
  return out;
}

function checkItem(v: number, basket: number): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) {
    throw new InvalidDataError(`basket ${basket} holds item ${String(v)}: items must be non-negative integer ids`);
  }
}

/**
 * Sort basket indices lexicographically by their rank sequences (`dat[off[t]..off[t+1])`, ascending ranks):
 * MSD radix sort, with insertion sort for small groups.
 */
function sortBaskets(off: Int32Array, dat: Int32Array, nRanks: number): Int32Array {
  const n = off.length - 1;
  let ord = new Int32Array(n);
  for (let i = 0; i < n; i++) ord[i] = i;
  const tmp = new Int32Array(n);
  const countsAt: Int32Array[] = [];
  const keyAt = (t: number, d: number) => (off[t] + d < off[t + 1] ? dat[off[t] + d] + 1 : 0);
  const less = (a: number, b: number, d: number) => {
    const ea = off[a + 1];
    const eb = off[b + 1];
    let i = off[a] + d;
    let k = off[b] + d;
    for (; i < ea && k < eb; i++, k++) if (dat[i] !== dat[k]) return dat[i] < dat[k];
    return i === ea && k < eb;
  };
  const sortRange = (lo: number, hi: number, d: number): void => {
    if (hi - lo < 48) {
      for (let i = lo + 1; i < hi; i++) {
        const t = ord[i];
        let p = i - 1;
        while (p >= lo && less(t, ord[p], d)) {
          ord[p + 1] = ord[p];
          p--;
        }
        ord[p + 1] = t;
      }
      return;
    }
    while (countsAt.length <= d) countsAt.push(new Int32Array(nRanks + 2));
    const cnt = countsAt[d];
    let kmin = nRanks + 1;
    let kmax = 0;
    for (let i = lo; i < hi; i++) {
      const key = keyAt(ord[i], d);
      cnt[key + 1]++;
      if (key < kmin) kmin = key;
      if (key > kmax) kmax = key;
    }
    // cnt[key + 1] held counts; turn cnt[kmin .. kmax + 1] into bucket starts (relative to lo).
    cnt[kmin] = 0;
    for (let key = kmin; key <= kmax; key++) cnt[key + 1] += cnt[key];
    for (let i = lo; i < hi; i++) {
      const t = ord[i];
      tmp[lo + cnt[keyAt(t, d)]++] = t;
    }
    ord.set(tmp.subarray(lo, hi), lo);
    // After the scatter cnt[key] is the end of bucket `key`; recurse into the non-empty, non-final ones.
    let start = lo;
    const bounds: number[] = [];
    for (let key = kmin; key <= kmax; key++) {
      const end = lo + cnt[key];
      if (key > 0 && end - start > 1) bounds.push(start, end);
      start = end;
    }
    cnt.fill(0, kmin, kmax + 2);
    for (let b = 0; b < bounds.length; b += 2) sortRange(bounds[b], bounds[b + 1], d + 1);
  };
  sortRange(0, n, 0);
  return ord;
}

/**
 * All itemsets whose support is at least `minSupport`, each with its support. Items within a basket may repeat
 * (a basket counts once). Results are sorted by length, then by item ids.
 */
export function fpGrowth(baskets: Baskets, options: FpGrowthOptions): FrequentItemset[] {
  validateMinSupport(options?.minSupport);
  const maxLength = validateMaxLength(options.maxLength);
  const n = baskets.length;
  if (n === 0) throw new InvalidDataError('fpGrowth needs at least one basket, got none');
  const minCount = minCountFor(options.minSupport, n);

  // Item ids -> dense ids (identity when ids are small, as they are from BasketEncoder).
  let maxId = -1;
  for (let b = 0; b < n; b++) {
    const basket = baskets[b];
    for (let i = 0; i < basket.length; i++) {
      const v = basket[i];
      checkItem(v, b);
      if (v > maxId) maxId = v;
    }
  }
  let denseOf: ((v: number) => number) | null = null;
  let idOfDense: Int32Array;
  if (maxId < DENSE_ID_LIMIT) {
    idOfDense = new Int32Array(maxId + 1);
    for (let i = 0; i <= maxId; i++) idOfDense[i] = i;
  } else {
    const map = new Map<number, number>();
    for (const basket of baskets) for (let i = 0; i < basket.length; i++) if (!map.has(basket[i])) map.set(basket[i], map.size);
    idOfDense = new Int32Array(map.size);
    for (const [id, d] of map) idOfDense[d] = id;
    denseOf = (v) => map.get(v)!;
  }
  const nDense = idOfDense.length;

  // Basket counts per item (a repeated item counts once: `seen` remembers the basket that last saw it).
  const itemCount = new Int32Array(nDense);
  const seen = new Int32Array(nDense).fill(-1);
  for (let b = 0; b < n; b++) {
    const basket = baskets[b];
    for (let i = 0; i < basket.length; i++) {
      const d = denseOf ? denseOf(basket[i]) : basket[i];
      if (seen[d] !== b) {
        seen[d] = b;
        itemCount[d]++;
      }
    }
  }

  // Rank frequent items by descending count (ties by id) so that shared prefixes are long and the tree small.
  const frequent: number[] = [];
  for (let d = 0; d < nDense; d++) if (itemCount[d] >= minCount) frequent.push(d);
  frequent.sort((a, b) => itemCount[b] - itemCount[a] || idOfDense[a] - idOfDense[b]);
  const nFreq = frequent.length;
  if (nFreq === 0) return [];
  const rankOf = new Int32Array(nDense).fill(-1);
  const itemOfRank = new Int32Array(nFreq);
  for (let r = 0; r < nFreq; r++) {
    rankOf[frequent[r]] = r;
    itemOfRank[r] = idOfDense[frequent[r]];
  }

  // Each basket as its frequent items' ranks, ascending and without repeats, packed one after another.
  let total = 0;
  for (let b = 0; b < n; b++) total += baskets[b].length;
  const off = new Int32Array(n + 1);
  let dat = new Int32Array(total);
  let len = 0;
  // Pair counts for the first-level conditional trees, when the matrix is small enough.
  const pairs = nFreq <= MAX_PAIR_ITEMS && maxLength >= 2 ? new Int32Array(nFreq * nFreq) : null;
  let maxDepth = 0;
  for (let b = 0; b < n; b++) {
    const basket = baskets[b];
    const start = len;
    for (let i = 0; i < basket.length; i++) {
      const r = rankOf[denseOf ? denseOf(basket[i]) : basket[i]];
      if (r < 0) continue;
      // Insertion sort with de-duplication: baskets are short.
      let p = len - 1;
      while (p >= start && dat[p] > r) p--;
      if (p >= start && dat[p] === r) continue;
      for (let q = len; q > p + 1; q--) dat[q] = dat[q - 1];
      dat[p + 1] = r;
      len++;
    }
    off[b + 1] = len;
    if (len - start > maxDepth) maxDepth = len - start;
    if (pairs !== null) {
      for (let q = start + 1; q < len; q++) {
        const row = dat[q] * nFreq;
        for (let p = start; p < q; p++) pairs[row + dat[p]]++;
      }
    }
  }
  dat = dat.subarray(0, len);

  // The global FP-tree: in lexicographic order each basket extends the path of the longest prefix it shares
  // with the previous one.
  const ord = sortBaskets(off, dat, nFreq);
  const miner = new Miner(minCount, maxLength, itemOfRank);
  const tree = miner.treeAt(0);
  tree.reset(nFreq, Math.min(len, Math.max(1024, len >> 1)), false);
  const path = new Int32Array(nFreq + 1);
  let prev = -1;
  let prevLen = 0;
  for (let k = 0; k < n; k++) {
    const t = ord[k];
    const s = off[t];
    const tl = off[t + 1] - s;
    if (tl === 0) continue;
    let l = 0;
    if (prev >= 0) {
      const ps = off[prev];
      const lim = tl < prevLen ? tl : prevLen;
      while (l < lim && dat[ps + l] === dat[s + l]) l++;
    }
    for (let d = 0; d < l; d++) tree.addCount(path[d + 1], 1);
    for (let d = l; d < tl; d++) path[d + 1] = tree.append(path[d], dat[s + d], 1);
    prev = t;
    prevLen = tl;
  }

  const suffixCap = Math.min(nFreq, Number.isFinite(maxLength) ? maxLength : nFreq) + 1;
  miner.mineGlobal(tree, pairs, maxDepth, new Int32Array(suffixCap));

  const result: FrequentItemset[] = miner.out.map(({ items, count }) => {
    const arr = Array.from(items).sort((a, b) => a - b);
    return { items: arr, support: count / n, count };
  });
  result.sort(compareItemsets);
  return result;
}

/** Order by length, then lexicographically by item ids. */
export function compareItemsets(a: { items: readonly number[] }, b: { items: readonly number[] }): number {
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  for (let i = 0; i < a.items.length; i++) if (a.items[i] !== b.items[i]) return a.items[i] - b.items[i];
  return 0;
}
