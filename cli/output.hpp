#pragma once
// jamictl's output and input: C stdio behind the small part of an ostream
// that jamictl uses (`to_stdout << "text" << 3 << flush`).
//
// Why not <iostream>: one translation unit that includes it makes the whole
// program run std::ios_base::Init before main, which builds the C++ locale
// and the eight standard streams: ~0.5 ms, about 3% of a one-shot
// `jamictl account list` (issue 20; bench/jamid_bench.sh). Nothing in
// jamictl includes <iostream>; tests/cli/parts_test.sh checks that jamictl
// does not call std::ios_base::Init.
//
// Threads: stdio's own locking, no more; jamictl prints from one thread.
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace jamictl {

struct Flush {};
inline constexpr Flush flush{};

class TextOut {
public:
    enum class Stream { standard_output, standard_error };
    constexpr explicit TextOut(Stream stream) : stream_(stream) {}

    const TextOut& operator<<(std::string_view text) const {
        std::fwrite(text.data(), 1, text.size(), file());
        return *this;
    }
    const TextOut& operator<<(const char* text) const { return *this << std::string_view(text); }
    const TextOut& operator<<(const std::string& text) const { return *this << std::string_view(text); }
    // Exactly char and the integers: a double or a bool would otherwise
    // convert silently (to a char, to 0/1), where an ostream prints "0.5".
    template <typename Char, std::enable_if_t<std::is_same_v<Char, char>, int> = 0>
    const TextOut& operator<<(Char c) const {
        std::fputc(c, file());
        return *this;
    }
    template <typename Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, char> &&
                                                     !std::is_same_v<Integer, bool>,
                                                 int> = 0>
    const TextOut& operator<<(Integer n) const {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
        return *this << std::string_view(digits, static_cast<std::size_t>(end - digits));
    }
    // A JSON value converts to a string implicitly and would throw for an
    // object: print dump(value) (cli/print.hpp) instead.
    template <typename Json, typename = typename Json::object_t>
    const TextOut& operator<<(const Json&) const = delete;
    const TextOut& operator<<(Flush) const {
        std::fflush(file());
        return *this;
    }

private:
    std::FILE* file() const { return stream_ == Stream::standard_error ? stderr : stdout; }
    Stream stream_;
};

inline constexpr TextOut to_stdout{TextOut::Stream::standard_output};
inline constexpr TextOut to_stderr{TextOut::Stream::standard_error};

// One line of standard input without its newline; nullopt at its end.
inline std::optional<std::string> readLine() {
    std::string line;
    for (int c = std::getchar(); c != '\n'; c = std::getchar()) {
        if (c == EOF) return line.empty() ? std::nullopt : std::optional(line);
        line += static_cast<char>(c);
    }
    return line;
}

}  // namespace jamictl
