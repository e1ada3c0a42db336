using System.Collections;

namespace MatchService.Grpc;

/// <summary>
/// Custom headers or trailers of a call. Keys are lower-case ASCII; keys ending in <c>-bin</c> carry binary values
/// (base64 on the wire), others printable ASCII.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    /// <summary>The suffix that marks binary metadata keys.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds a text entry.</summary>
    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds a binary entry (key must end in <c>-bin</c>).</summary>
    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds an entry.</summary>
    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The last entry with the key (case-insensitive), or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }
        return null;
    }

    /// <summary>The text value of the last entry with the key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry.</summary>
    public sealed class Entry
    {
        private readonly string? _text;
        private readonly byte[]? _bytes;

        /// <summary>A text entry.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{key}' ends in '-bin' and needs a binary value.", nameof(key));
            }
            _text = value;
        }

        /// <summary>A binary entry.</summary>
        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Binary metadata key '{key}' must end in '-bin'.", nameof(key));
            }
            _bytes = value;
        }

        /// <summary>The lower-case key.</summary>
        public string Key { get; }

        /// <summary>True for a binary entry.</summary>
        public bool IsBinary => _bytes is not null;

        /// <summary>The text value (base64 of the bytes for a binary entry).</summary>
        public string Value => _text ?? Convert.ToBase64String(_bytes!);

        /// <summary>The bytes of a binary entry (UTF-8 of the text otherwise).</summary>
        public byte[] ValueBytes => _bytes ?? System.Text.Encoding.UTF8.GetBytes(_text!);

        /// <inheritdoc />
        public override string ToString() => $"{Key}: {Value}";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.';
                if (!ok)
                {
                    throw new ArgumentException($"Metadata key '{key}' has the character '{c}'; allowed: a-z 0-9 - _ .", nameof(key));
                }
            }
            return key.ToLowerInvariant();
        }
    }
}
