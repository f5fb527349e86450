import { InvalidDataError, UsageError } from '@fingan/gan-core';

/**
 * Frequent-itemset mining with FP-growth (Han, Pei & Yin, 2000): an FP-tree with a header table (each item's
 * node-link chain), and for each item a conditional FP-tree built from its conditional pattern base.
 *
 * Built to mine a million baskets in seconds:
 * - Trees live in flat typed arrays (the int32 fields of a node side by side), not node objects: millions of
 *   objects would spend the time in the garbage collector and in cache misses.
 * - The global tree is built from the baskets sorted lexicographically (MSD radix sort on item ranks): each
 *   basket then shares its longest common prefix with the one before it, so no child lookup is needed, and the
 *   nodes come out in depth-first order, which keeps later walks up the tree cache-friendly.
 * - Conditional trees of big trees (the global one above all) are built in a few sequential sweeps (a batch of
 *   items per sweep) instead of chasing parent links across hundreds of megabytes: with the nodes in
 *   depth-first order the current root path sits on a small stack, where each item node finds its prefix
 *   path. The items frequent in each pattern base come from a pair-count matrix (Grahne & Zhu's FP-array),
 *   filled while reading the baskets for the global tree, and in the depth-first renumbering walk otherwise.
 * - Small trees derive a conditional tree from the union of the prefix paths of an item's nodes, a subtree:
 *   each of its nodes is visited once, its count below is accumulated bottom-up, and it is mapped onto the
 *   conditional tree top-down.
 * - A child is found through its parent's child list, not a hash table: lists are short below the top levels,
 *   and a table would add a cache miss of its own to every step.
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
    throw new UsageError(`minSupport must be a fraction in (0, 1], got ${String(minSupport)}`, { option: 'minSupport' });
  }
}

function validateMaxLength(maxLength: unknown): number {
  if (maxLength === undefined) return Number.POSITIVE_INFINITY;
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1) {
    throw new UsageError(`maxLength must be an integer >= 1, got ${String(maxLength)}`, { option: 'maxLength' });
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
/** Child list, used while a tree is being built (IMAGE is free then: it is written before it is read). */
const NEXT_SIBLING = 6;
const FIRST_CHILD = 7;
const STRIDE = 8;

/**
 * Reusable int32 buffers. Mining allocates the same kinds of temporary arrays over and over; every fresh
 * ArrayBuffer counts as external memory, and V8 answers its growth with full garbage collections, which on a big
 * heap (a million baskets) cost more than the arrays themselves.
 */
class Buffers {
  private readonly bufs = new Map<string, Int32Array>();
  private readonly byDepth: Int32Array[][] = [];
  /** A buffer of at least `n` ints (contents undefined), doubling when it grows. */
  get(name: string, n: number): Int32Array {
    let b = this.bufs.get(name);
    if (b === undefined || b.length < n) {
      b = new Int32Array(Math.max(n, b ? b.length * 2 : 16));
      this.bufs.set(name, b);
    }
    return b;
  }
  /** Hand in `old` and take back the stored buffer `name` (grown to `n` ints if needed): a double buffer. */
  swap(name: string, old: Int32Array, n: number): Int32Array {
    const b = this.get(name, n);
    this.bufs.set(name, old);
    return b;
  }
  /** The same, one buffer per recursion depth and kind (one of the `AT_*` constants). */
  at(kind: number, depth: number, n: number): Int32Array {
    while (this.byDepth.length <= depth) this.byDepth.push([]);
    const row = this.byDepth[depth];
    let b = row[kind];
    if (b === undefined || b.length < n) {
      b = new Int32Array(Math.max(n, b ? b.length * 2 : 16));
      row[kind] = b;
    }
    return b;
  }
}

/** Per-depth buffer kinds. */
const AT_RANKS = 0;
const AT_LOCAL_IDS = 1;
const AT_SLOT = 2;
const AT_MAT_LEN = 3;
const AT_PAIRS = 4;

/** A growable FP-tree. Node 0 is the root; a node is always created after its parent. */
class FpTree {
  nItems = 0;
  size = 0;
  nd: Int32Array = new Int32Array(16 * STRIDE);
  /** First and last node of each item's chain, and the item's total count in this tree. */
  head = new Int32Array(16);
  tail = new Int32Array(16);
  itemCount = new Int32Array(16);
  /** Number of nodes per item: a tree whose items all have one node is checked for being a single path. */
  nodesOfItem = new Int32Array(16);
  /** Nodes visited while deriving a conditional tree. */
  order = new Int32Array(0);

  /** Empty the tree for `nItems` local items, sized for about `expectedNodes` nodes. */
  reset(nItems: number, expectedNodes: number): void {
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
    this.size = 1;
    this.nd[ITEM] = -1;
    this.nd[PARENT] = -1;
    this.nd[COUNT] = 0;
    this.nd[LINK] = -1;
    this.nd[FIRST_CHILD] = -1;
  }

  private growNodes(cap: number): void {
    let n = Math.max(16, this.nd.length / STRIDE);
    while (n < cap) n *= 2;
    const b = new Int32Array(n * STRIDE);
    b.set(this.nd.subarray(0, this.size * STRIDE));
    this.nd = b;
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
    nd[o + FIRST_CHILD] = -1;
    nd[o + NEXT_SIBLING] = nd[parent * STRIDE + FIRST_CHILD];
    nd[parent * STRIDE + FIRST_CHILD] = node;
    if (this.tail[item] === -1) this.head[item] = node;
    else nd[this.tail[item] * STRIDE + LINK] = node;
    this.tail[item] = node;
    this.nodesOfItem[item]++;
    this.itemCount[item] += cnt;
    return node;
  }

  /**
   * The child of `parent` holding `item`, created with count 0 if missing. A scan of the parent's child list:
   * lists are short below the top levels, and the nodes are touched anyway, where a hash table would add a
   * cache miss of its own to every step.
   */
  child(parent: number, item: number): number {
    const nd = this.nd;
    for (let c = nd[parent * STRIDE + FIRST_CHILD]; c !== -1; c = nd[c * STRIDE + NEXT_SIBLING]) {
      if (nd[c * STRIDE + ITEM] === item) return c;
    }
    return this.append(parent, item, 0);
  }

  addCount(node: number, cnt: number): void {
    this.nd[node * STRIDE + COUNT] += cnt;
    this.itemCount[this.nd[node * STRIDE + ITEM]] += cnt;
  }

  /**
   * Renumber the nodes in depth-first preorder (so that a sweep can keep the root path on a stack), relink the
   * chains in that order, and add every pair count to `pairs[b * nItems + a]` (item a an ancestor of b) in the
   * same walk. Returns the depth of the deepest node. The child lookup is dropped: the tree takes no more
   * insertions.
   */
  reorderDepthFirst(pairs: Int32Array, buffers: Buffers): number {
    const n = this.size;
    const nItems = this.nItems;
    const nd = this.nd;
    // Children grouped by parent (counting sort, so in creation order within a parent).
    const childStart = buffers.get('childStart', n + 1).fill(0, 0, n + 1);
    for (let v = 1; v < n; v++) childStart[nd[v * STRIDE + PARENT] + 1]++;
    for (let v = 0; v < n; v++) childStart[v + 1] += childStart[v];
    const children = buffers.get('children', n);
    const fill = buffers.get('fill', n);
    fill.set(childStart.subarray(0, n));
    for (let v = 1; v < n; v++) children[fill[nd[v * STRIDE + PARENT]]++] = v;
    // The renumbered nodes go to a buffer shared by all trees, which takes this tree's old one in exchange.
    const out = buffers.swap('nodes', nd, n * STRIDE);
    const newId = buffers.get('newId', n);
    const depthOf = buffers.get('depthOf', n);
    depthOf[0] = 0;
    const pathItem = buffers.get('pathItem', nItems + 2);
    const todo = buffers.get('todo', n);
    let top = 0;
    let next = 0;
    let maxDepth = 0;
    todo[top++] = 0;
    while (top > 0) {
      const v = todo[--top];
      const id = next++;
      newId[v] = id;
      const o = id * STRIDE;
      const item = nd[v * STRIDE + ITEM];
      const cnt = nd[v * STRIDE + COUNT];
      out[o + ITEM] = item;
      out[o + COUNT] = cnt;
      if (v === 0) {
        out[o + PARENT] = -1;
      } else {
        const pid = newId[nd[v * STRIDE + PARENT]];
        out[o + PARENT] = pid;
        const d = depthOf[pid] + 1;
        depthOf[id] = d;
        if (d > maxDepth) maxDepth = d;
        // In preorder the last node seen at each shallower depth is an ancestor.
        pathItem[d] = item;
        const row = item * nItems;
        for (let t = 1; t < d; t++) pairs[row + pathItem[t]] += cnt;
      }
      for (let c = childStart[v + 1] - 1; c >= childStart[v]; c--) todo[top++] = children[c];
    }
    this.head.fill(-1, 0, nItems);
    this.tail.fill(-1, 0, nItems);
    for (let id = n - 1; id >= 1; id--) {
      const it = out[id * STRIDE + ITEM];
      out[id * STRIDE + LINK] = this.head[it];
      if (this.head[it] === -1) this.tail[it] = id;
      this.head[it] = id;
    }
    out[LINK] = -1;
    this.nd = out;
    return maxDepth;
  }

  /** Make sure the visit list can hold every node. */
  scratch(): void {
    if (this.order.length < this.size) this.order = new Int32Array(this.nd.length / STRIDE);
  }
}

/** Internal knobs, fixed in `fpGrowth`; tests lower them to exercise every path on small data. */
export interface FpTuning {
  /** Trees with at least this many nodes are mined by sweeps (reordered, with pair counts). */
  sweepMinNodes: number;
}

const TUNING: FpTuning = { sweepMinNodes: 1 << 17 };

/** Everything one mining run shares: the output, thresholds and per-depth scratch space. */
class Miner {
  /**
   * Itemsets found, packed (itemset k is outItems[outStart[k] .. outStart[k + 1]), ascending ids, with count
   * outCount[k]) rather than one object each: hundreds of thousands of small objects made while mining grow the
   * heap that every garbage collection has to walk.
   */
  outItems = new Int32Array(1024);
  outStart = new Int32Array(257);
  outCount = new Int32Array(256);
  nOut = 0;
  private readonly trees: FpTree[] = [];
  private readonly localCount: Int32Array;
  private readonly localId: Int32Array;
  private readonly up: Int32Array;
  /** Marks scratch entries as belonging to the current conditional tree, so they never need clearing. */
  private token = 0;
  private readonly buffers = new Buffers();

  constructor(
    private readonly minCount: number,
    private readonly maxLength: number,
    /** Global rank -> original item id. */
    private readonly itemOfRank: Int32Array,
    private readonly tuning: FpTuning,
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

  /** Conditional trees being built in one sweep, by depth and batch slot. */
  private readonly batchTrees: FpTree[][] = [];

  private batchTree(depth: number, slot: number): FpTree {
    while (this.batchTrees.length <= depth) this.batchTrees.push([]);
    const pool = this.batchTrees[depth];
    while (pool.length <= slot) pool.push(new FpTree());
    return pool[slot];
  }

  private pairsAt(depth: number, size: number): Int32Array {
    return this.buffers.at(AT_PAIRS, depth, size).fill(0, 0, size);
  }

  private emit(suffix: Int32Array, suffixLen: number, count: number): void {
    const k = this.nOut;
    if (k + 1 >= this.outCount.length) {
      this.outCount = grow(this.outCount, this.outCount.length * 2);
      this.outStart = grow(this.outStart, this.outCount.length + 1);
    }
    const start = this.outStart[k];
    if (start + suffixLen > this.outItems.length) this.outItems = grow(this.outItems, (start + suffixLen) * 2);
    const out = this.outItems;
    // Insertion sort by original id while copying: itemsets are short.
    for (let i = 0; i < suffixLen; i++) {
      const v = this.itemOfRank[suffix[i]];
      let p = start + i - 1;
      while (p >= start && out[p] > v) {
        out[p + 1] = out[p];
        p--;
      }
      out[p + 1] = v;
    }
    this.outStart[k + 1] = start + suffixLen;
    this.outCount[k] = count;
    this.nOut = k + 1;
  }

  /**
   * Mine `tree`, whose local item j stands for global rank `ranks[j]`; `suffix[0..suffixLen)` (global ranks) is
   * the itemset every pattern in this tree is conditioned on. `known` gives the pair counts and depth of a tree
   * already in depth-first order (the global one).
   */
  mine(tree: FpTree, ranks: Int32Array, suffix: Int32Array, suffixLen: number, depth: number, known?: { pairs: Int32Array; maxDepth: number }): void {
    if (this.isSinglePath(tree)) {
      this.minePath(tree, ranks, suffix, suffixLen);
      return;
    }
    const { minCount, maxLength } = this;
    const n = tree.nItems;
    const sweep = known !== undefined || (tree.size >= this.tuning.sweepMinNodes && n <= MAX_PAIR_ITEMS);
    if (!sweep || suffixLen + 1 >= maxLength) {
      for (let j = n - 1; j >= 0; j--) {
        const support = tree.itemCount[j];
        if (support < minCount) continue;
        suffix[suffixLen] = ranks[j];
        this.emit(suffix, suffixLen + 1, support);
        if (suffixLen + 1 >= maxLength || j === 0) continue;
        const child = this.conditionalTree(tree, j, depth + 1, ranks);
        if (child === null) continue;
        this.mine(child, this.buffers.at(AT_RANKS, depth + 1, 0), suffix, suffixLen + 1, depth + 1);
      }
      return;
    }
    for (let j = n - 1; j >= 0; j--) {
      if (tree.itemCount[j] < minCount) continue;
      suffix[suffixLen] = ranks[j];
      this.emit(suffix, suffixLen + 1, tree.itemCount[j]);
    }
    let pairs: Int32Array;
    let maxDepth: number;
    if (known !== undefined) ({ pairs, maxDepth } = known);
    else {
      pairs = this.pairsAt(depth, n * n);
      maxDepth = tree.reorderDepthFirst(pairs, this.buffers);
    }
    // Batches of items whose nodes add up to an eighth of the tree (or one item): the conditional trees of a
    // batch are held at once, and the tree is swept once per batch.
    const budget = Math.max(this.tuning.sweepMinNodes, tree.size >>> 3);
    let j = n - 1;
    while (j >= 1) {
      const batch: number[] = [];
      let nodes = 0;
      while (j >= 1 && batch.length < 64 && (batch.length === 0 || nodes + tree.nodesOfItem[j] <= budget)) {
        nodes += tree.nodesOfItem[j];
        batch.push(j--);
      }
      this.sweep(tree, batch, pairs, maxDepth, ranks, suffix, suffixLen, depth);
    }
  }

  /**
   * Build the conditional trees of the items in `batch` in one sweep of `tree` (nodes in depth-first order),
   * then mine them. The root path of the current node is on a stack, so an item node finds its prefix path
   * there instead of chasing parent links; the items frequent in each pattern base come from `pairs`.
   */
  private sweep(
    tree: FpTree,
    batch: number[],
    pairs: Int32Array,
    maxDepth: number,
    ranks: Int32Array,
    suffix: Int32Array,
    suffixLen: number,
    depth: number,
  ): void {
    const { minCount } = this;
    const n = tree.nItems;
    const nb = batch.length;
    const width = maxDepth + 1;
    const slot = this.buffers.at(AT_SLOT, depth, n).fill(-1, 0, n);
    const localIds = this.buffers.at(AT_LOCAL_IDS, depth, nb * n).fill(-1, 0, nb * n);
    for (let s = 0; s < nb; s++) {
      const j = batch[s];
      let nFreq = 0;
      for (let i = 0; i < j; i++) if (pairs[j * n + i] >= minCount) localIds[s * n + i] = nFreq++;
      if (nFreq === 0) continue;
      slot[j] = s;
      this.batchTree(depth + 1, s).reset(nFreq, tree.nodesOfItem[j]);
    }
    // For each slot, the path (nodes of `tree`) whose images in its conditional tree are known, and those images.
    const matNode = this.buffers.get('matNode', nb * width).fill(-1, 0, nb * width);
    const matImage = this.buffers.get('matImage', nb * width);
    const matLen = this.buffers.at(AT_MAT_LEN, depth, nb).fill(0, 0, nb);
    const stack = this.buffers.get('stack', width + 1);
    stack[0] = 0;
    const pool = this.batchTrees[depth + 1];
    const nd = tree.nd;
    let top = 0;
    for (let v = 1; v < tree.size; v++) {
      const p = nd[v * STRIDE + PARENT];
      while (stack[top] !== p) top--;
      stack[++top] = v;
      const s = slot[nd[v * STRIDE + ITEM]];
      if (s < 0) continue;
      // v's prefix path is stack[1 .. top-1]; reuse the images of the part shared with the slot's last path.
      const cond = pool[s];
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
      const cond = pool[s];
      const cnd = cond.nd;
      // Children are created after their parents, so one backward pass sums every subtree.
      for (let c = cond.size - 1; c >= 1; c--) {
        const cnt = cnd[c * STRIDE + COUNT];
        const p = cnd[c * STRIDE + PARENT];
        if (p > 0) cnd[p * STRIDE + COUNT] += cnt;
        cond.itemCount[cnd[c * STRIDE + ITEM]] += cnt;
      }
      // The child's item k stands for the parent's item i with localIds[s][i] = k.
      const childRanks = this.buffers.at(AT_RANKS, depth + 1, cond.nItems);
      for (let i = 0; i < j; i++) {
        const k = localIds[s * n + i];
        if (k >= 0) childRanks[k] = ranks[i];
      }
      suffix[suffixLen] = ranks[j];
      this.mine(cond, childRanks, suffix, suffixLen + 1, depth + 1);
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
  private conditionalTree(tree: FpTree, j: number, depth: number, ranks: Int32Array): FpTree | null {
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
    // Local ids follow the parent tree's order, so conditional trees keep the global item order. The global
    // ranks of the new tree's items go to this depth's rank buffer.
    const childRanks = this.buffers.at(AT_RANKS, depth, nFreq);
    let k = 0;
    for (let i = 0; i < j; i++) {
      if (localCount[i] >= minCount) {
        localId[i] = k;
        childRanks[k++] = ranks[i];
      } else localId[i] = -1;
      localCount[i] = 0;
    }
    const cond = this.treeAt(depth);
    cond.reset(nFreq, m);
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
    return cond;
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

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a.subarray(0, Math.min(a.length, n)));
  return b;
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
  const ord = new Int32Array(n);
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
  return fpGrowthTuned(baskets, options, TUNING);
}

/** fpGrowth with explicit internal knobs (for tests; not part of the package's API). */
export function fpGrowthTuned(baskets: Baskets, options: FpGrowthOptions, tuning: FpTuning): FrequentItemset[] {
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
  const miner = new Miner(minCount, maxLength, itemOfRank, tuning);
  const tree = miner.treeAt(0);
  tree.reset(nFreq, Math.min(len, Math.max(1024, len >> 1)));
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
  const ranks = new Int32Array(nFreq);
  for (let r = 0; r < nFreq; r++) ranks[r] = r;
  miner.mine(tree, ranks, new Int32Array(suffixCap), 0, 0, pairs === null ? undefined : { pairs, maxDepth });

  const result: FrequentItemset[] = new Array(miner.nOut);
  for (let k = 0; k < miner.nOut; k++) {
    const count = miner.outCount[k];
    result[k] = { items: Array.from(miner.outItems.subarray(miner.outStart[k], miner.outStart[k + 1])), support: count / n, count };
  }
  result.sort(compareItemsets);
  return result;
}

/** Order by length, then lexicographically by item ids. */
export function compareItemsets(a: { items: readonly number[] }, b: { items: readonly number[] }): number {
  if (a.items.length !== b.items.length) return a.items.length - b.items.length;
  for (let i = 0; i < a.items.length; i++) if (a.items[i] !== b.items[i]) return a.items[i] - b.items[i];
  return 0;
}
