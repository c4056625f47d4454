// A syntax tree whose navigation costs constant time, for rules that climb and step through it.
// web-tree-sitter answers `parent` by descending from the root (time in the node's depth) and the
// sibling getters by scanning the parent's children (time in their number), so a rule that climbs
// from each of n unsafe blocks of an `else if` chain, or steps to the previous of 20,000 match arms,
// takes quadratic time. A NavNode wraps a tree-sitter node and remembers its parent, its children
// and its place among them; nodes are reached from the root downwards (children, locate), so their
// parents are known without asking tree-sitter. Everything a rule reads is cached on first read.
import type { Node, Point, Tree } from 'web-tree-sitter';

export class NavTree {
  private readonly nodes = new Map<number, NavNode>();
  readonly root: NavNode;
  /** The path from the root to the node the last `locate` found: the next one starts from it. */
  private path: NavNode[];

  constructor(tree: Tree) {
    this.root = this.wrap(tree.rootNode);
    this.root.setParent(null, 0);
    this.path = [this.root];
  }

  /** The NavNode of a tree-sitter node (one per node, so that identity and caches are shared). */
  wrap(node: Node): NavNode {
    let wrapped = this.nodes.get(node.id);
    if (!wrapped) {
      wrapped = new NavNode(this, node);
      this.nodes.set(node.id, wrapped);
    }
    return wrapped;
  }

  /**
   * tree-sitter's `descendantForIndex(start, end)` from the root: the smallest node that holds
   * [start, end]. Starts from the deepest node of the previous answer's path that holds the range
   * too, so that queries in text order cost time in the path they add, not in the depth.
   */
  locate(start: number, end = start): NavNode {
    return this.descend(start, end, undefined) ?? this.path[this.path.length - 1]!;
  }

  /** The NavNode of a tree-sitter node found by other means, with its ancestors known. */
  find(node: Node): NavNode {
    return this.descend(node.startIndex, node.endIndex, node.id) ?? this.wrap(node);
  }

  private descend(start: number, end: number, targetId: number | undefined): NavNode | undefined {
    const path = this.path;
    // A node holds the range when tree-sitter's descent would enter it (see descendIntoChild).
    while (path.length > 1 && !holds(path[path.length - 1]!, start, end)) path.pop();
    if (targetId !== undefined) {
      const found = path.findIndex((node) => node.id === targetId);
      if (found !== -1) {
        path.length = found + 1;
        return path[found];
      }
    }
    for (;;) {
      const child = childHolding(path[path.length - 1]!, start, end);
      if (!child) return targetId === undefined ? path[path.length - 1] : undefined;
      path.push(child);
      if (child.id === targetId) return child;
    }
  }
}

/** Whether tree-sitter's descent for [start, end] enters this node (the root: always). */
function holds(node: NavNode, start: number, end: number): boolean {
  return node.startIndex <= start && node.endIndex >= Math.max(end, start + 1);
}

/**
 * The child tree-sitter's descent enters: the first whose end reaches the range (and passes its
 * start), if that child starts at or before the range. Children's ends never decrease: binary search.
 */
function childHolding(node: NavNode, start: number, end: number): NavNode | undefined {
  const children = node.children;
  const goal = Math.max(end, start + 1);
  let low = 0;
  let high = children.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (children[mid]!.endIndex >= goal) high = mid;
    else low = mid + 1;
  }
  const child = children[low];
  return child && child.startIndex <= start ? child : undefined;
}

const UNKNOWN = Symbol('unknown');

export class NavNode {
  private parentNode: NavNode | null | typeof UNKNOWN = UNKNOWN;
  private indexInParent = -1;
  private childNodes: NavNode[] | undefined;
  private cachedType: string | undefined;
  private cachedStart = -1;
  private cachedEnd = -1;
  private cachedStartPosition: Point | undefined;
  private cachedEndPosition: Point | undefined;
  private cachedText: string | undefined;
  private cachedNamed: boolean | undefined;
  private readonly closestOfType = new Map<string, NavNode | null>();
  readonly id: number;

  constructor(
    readonly tree: NavTree,
    readonly node: Node,
  ) {
    this.id = node.id;
  }

  setParent(parent: NavNode | null, index: number): void {
    this.parentNode = parent;
    this.indexInParent = index;
  }

  get type(): string {
    return (this.cachedType ??= this.node.type);
  }

  get startIndex(): number {
    if (this.cachedStart < 0) this.cachedStart = this.node.startIndex;
    return this.cachedStart;
  }

  get endIndex(): number {
    if (this.cachedEnd < 0) this.cachedEnd = this.node.endIndex;
    return this.cachedEnd;
  }

  get startPosition(): Point {
    return (this.cachedStartPosition ??= this.node.startPosition);
  }

  get endPosition(): Point {
    return (this.cachedEndPosition ??= this.node.endPosition);
  }

  get text(): string {
    return (this.cachedText ??= this.node.text);
  }

  get isNamed(): boolean {
    return (this.cachedNamed ??= this.node.isNamed);
  }

  get isMissing(): boolean {
    return this.node.isMissing;
  }

  get hasError(): boolean {
    return this.node.hasError;
  }

  get children(): NavNode[] {
    if (this.childNodes) return this.childNodes;
    const children: NavNode[] = [];
    for (const child of this.node.children) {
      if (child === null) continue;
      const wrapped = this.tree.wrap(child);
      wrapped.setParent(this, children.length);
      children.push(wrapped);
    }
    this.childNodes = children;
    return children;
  }

  get namedChildren(): NavNode[] {
    return this.children.filter((child) => child.isNamed);
  }

  get childCount(): number {
    return this.children.length;
  }

  child(index: number): NavNode | null {
    return this.children[index] ?? null;
  }

  get firstChild(): NavNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): NavNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): NavNode | null {
    return this.children.find((child) => child.isNamed) ?? null;
  }

  get lastNamedChild(): NavNode | null {
    const children = this.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]!.isNamed) return children[i]!;
    return null;
  }

  childForFieldName(name: string): NavNode | null {
    const child = this.node.childForFieldName(name);
    if (child === null) return null;
    // Through the children, so that the child's parent and place are known.
    return this.children.find((candidate) => candidate.id === child.id) ?? this.tree.wrap(child);
  }

  get parent(): NavNode | null {
    if (this.parentNode === UNKNOWN) {
      // Only for nodes not reached from the root; asking the parent for its children places this one.
      const parent = this.node.parent;
      if (parent === null) this.setParent(null, 0);
      else void this.tree.wrap(parent).children;
      if (this.parentNode === UNKNOWN) this.setParent(null, 0);
    }
    return this.parentNode as NavNode | null;
  }

  private sibling(step: number, named: boolean): NavNode | null {
    const parent = this.parent;
    if (parent === null) return null;
    const siblings = parent.children;
    for (let i = this.indexInParent + step; i >= 0 && i < siblings.length; i += step) {
      if (!named || siblings[i]!.isNamed) return siblings[i]!;
    }
    return null;
  }

  get nextSibling(): NavNode | null {
    return this.sibling(1, false);
  }

  get previousSibling(): NavNode | null {
    return this.sibling(-1, false);
  }

  get nextNamedSibling(): NavNode | null {
    return this.sibling(1, true);
  }

  get previousNamedSibling(): NavNode | null {
    return this.sibling(-1, true);
  }

  private self(): NavNode {
    return this;
  }

  /** The nearest proper ancestor of the given type; remembered along the way, so climbs share work. */
  closest(type: string): NavNode | null {
    const climbed: NavNode[] = [];
    let result: NavNode | null = null;
    for (let node: NavNode = this.self(); ;) {
      const known = node.closestOfType.get(type);
      if (known !== undefined) {
        result = known;
        break;
      }
      climbed.push(node);
      const parent = node.parent;
      if (parent === null) break;
      if (parent.type === type) {
        result = parent;
        break;
      }
      node = parent;
    }
    for (const node of climbed) node.closestOfType.set(type, result);
    return result;
  }

  /** tree-sitter's `descendantForIndex`; from the root it reuses the path of the previous query. */
  descendantForIndex(start: number, end = start): NavNode {
    if (this === this.tree.root) return this.tree.locate(start, end);
    let node = this.self();
    for (let child = childHolding(node, start, end); child; child = childHolding(node, start, end)) node = child;
    return node;
  }

  /** The first child that holds `index` or starts after it. */
  firstChildForIndex(index: number): NavNode | null {
    const children = this.children;
    let low = 0;
    let high = children.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (children[mid]!.endIndex > index) high = mid;
      else low = mid + 1;
    }
    return children[low] ?? null;
  }
}
export type { NavNode as SyntaxNode };
