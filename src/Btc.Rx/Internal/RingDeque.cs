namespace Btc.Rx.Internal;

/// <summary>A growable double-ended queue on a power-of-two ring: O(1) at both ends, no allocation per item.</summary>
internal sealed class RingDeque<T>
{
    // Small: the look-ahead keeps two per symbol, and a feed of many symbols holds many (doubling is cheap).
    private T[] _items = new T[4];
    private int _head;
    private int _count;

    public int Count => _count;

    public ref T Front => ref _items[_head];

    public ref T Back => ref _items[(_head + _count - 1) & (_items.Length - 1)];

    /// <summary>The item <paramref name="index"/> places from the front.</summary>
    public ref T this[int index] => ref _items[(uint)index < (uint)_count ? (_head + index) & (_items.Length - 1) : throw new ArgumentOutOfRangeException(nameof(index))];

    public void PushBack(T item)
    {
        if (_count == _items.Length)
        {
            var larger = new T[_items.Length * 2];
            for (int i = 0; i < _count; i++)
            {
                larger[i] = _items[(_head + i) & (_items.Length - 1)];
            }

            _items = larger;
            _head = 0;
        }

        _items[(_head + _count) & (_items.Length - 1)] = item;
        _count++;
    }

    public T PopFront()
    {
        T item = _items[_head];
        _items[_head] = default!;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return item;
    }

    public T PopBack()
    {
        int index = (_head + _count - 1) & (_items.Length - 1);
        T item = _items[index];
        _items[index] = default!;
        _count--;
        return item;
    }
}
