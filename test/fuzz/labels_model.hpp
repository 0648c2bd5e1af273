// Brute-force models of the labels core for its fuzz targets: written independently of
// src/core/labels.cpp, so a disagreement is a bug in one of them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fuzz {

// Canonical text of plain decimal "-?digits[.digits]", or nothing if the text is not one.
inline std::optional<std::string> model_canonical_number(std::string_view text) {
    std::size_t i = 0;
    std::string sign;
    if (i < text.size() && text[i] == '-') {
        sign = "-";
        ++i;
    }
    std::string whole, fraction;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
        whole += text[i++];
    if (whole.empty())
        return std::nullopt;
    if (i < text.size()) {
        if (text[i] != '.')
            return std::nullopt;
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9')
            fraction += text[i++];
        if (fraction.empty() || i != text.size())
            return std::nullopt;
    }
    while (!fraction.empty() && fraction.back() == '0')
        fraction.pop_back();
    if (whole.find_first_not_of('0') == std::string::npos && fraction.empty())
        return std::string("0");
    return sign + whole + (fraction.empty() ? "" : "." + fraction);
}

// Decodes one JSON string as write_json_text writes it, from text[pos] (the opening quote);
// advances pos past the closing quote. Nothing if it is not such a string.
inline std::optional<std::string> decode_json_string(std::string_view text, std::size_t& pos) {
    if (pos >= text.size() || text[pos] != '"')
        return std::nullopt;
    std::string out;
    for (++pos; pos < text.size(); ++pos) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        if (c == '"') {
            ++pos;
            return out;
        }
        if (c < 0x20)
            return std::nullopt;  // control characters must be escaped
        if (c != '\\') {
            out += static_cast<char>(c);
            continue;
        }
        if (++pos >= text.size())
            return std::nullopt;
        switch (text[pos]) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                if (pos + 4 >= text.size() || text.substr(pos + 1, 2) != "00")
                    return std::nullopt;
                std::string hex(text.substr(pos + 3, 2));
                out += static_cast<char>(std::stoi(hex, nullptr, 16));
                pos += 4;
                break;
            }
            default:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace fuzz
