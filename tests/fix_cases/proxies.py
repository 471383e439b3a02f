# fix: PCP524, PCP525, PCP526, PCP527, PCP528, PCP529, PCP530
# target: 3.13
# expect: [1, 2, 3]
# expect: 0
# expect: [('x', None)]
# expect: [('a', 1), ('b', 2)]
# expect: [('a', 1), ('z', 0)]
# expect: [('a', 1), ('c', 3)]
# expect: ['c', 'a']
import multiprocessing

if __name__ == "__main__":
    manager = multiprocessing.Manager()
    try:
        items = manager.list([1, 2, 3])
        print(items.copy())
        items.clear()
        print(len(items))
        table = manager.dict(a=1)
        print(sorted(table.fromkeys(["x"]).items()))
        merged = table | {"b": 2}
        print(sorted(merged.items()))
        print(sorted(({"z": 0} | table).items()))
        table |= {"c": 3}
        print(sorted(table.items()))
        print(list(reversed(table)))
    finally:
        manager.shutdown()
