#include "vk/spirv_reflect.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "core/error.h"

namespace convscope::vk {

namespace {

// Opcodes, storage classes and decorations from the SPIR-V specification (section 3).
enum : uint32_t {
  OpName = 5, OpMemberName = 6, OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23, OpTypeArray = 28,
  OpTypeStruct = 30, OpTypePointer = 32, OpConstant = 43, OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72,
};
enum : uint32_t { Uniform = 2, PushConstant = 9, StorageBuffer = 12 };
enum : uint32_t { SpecId = 1, ArrayStride = 6, Binding = 33, Offset = 35 };

struct Module {
  std::map<uint32_t, std::vector<uint32_t>> types;  // id -> instruction words (opcode first)
  std::map<uint32_t, uint32_t> constants;
  std::map<uint32_t, uint32_t> array_strides;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> member_offsets;
  std::map<uint32_t, uint32_t> bindings;
  std::map<uint32_t, std::string> names;
  std::map<std::pair<uint32_t, uint32_t>, std::string> member_names;
  std::set<uint32_t> spec_ids;
  struct Variable { uint32_t pointer_type, id, storage; };
  std::vector<Variable> variables;
  std::string_view name;

  uint32_t size_of(uint32_t type) const {
    auto it = types.find(type);
    if (it == types.end()) throw Error(fmt::format("shader {}: reflection met unknown type %{}", name, type));
    const std::vector<uint32_t>& t = it->second;
    switch (t[0]) {
      case OpTypeInt:
      case OpTypeFloat: return t[2] / 8;
      case OpTypeVector: return size_of(t[2]) * t[3];
      case OpTypeArray: return array_strides.at(type) * constants.at(t[3]);
      case OpTypeStruct: {
        uint32_t end = 0;
        for (uint32_t m = 0; m + 2 < t.size(); ++m)  // words: opcode, id, member types
          end = std::max(end, member_offsets.at({type, m}) + size_of(t[m + 2]));
        return end;
      }
      default: throw Error(fmt::format("shader {}: push constants use a type reflection does not size", name));
    }
  }
};

// A literal string operand: UTF-8, nul-terminated, packed four bytes to a word from the low byte.
std::string literal(const uint32_t* words, uint32_t count) {
  std::string s;
  for (uint32_t i = 0; i < count; ++i)
    for (int b = 0; b < 4; ++b) {
      const char c = static_cast<char>((words[i] >> (8 * b)) & 0xffu);
      if (c == '\0') return s;
      s += c;
    }
  return s;
}

}  // namespace

ShaderInterface reflect(std::span<const uint32_t> code, std::string_view shader_name) {
  if (code.size() < 5 || code[0] != 0x07230203u) throw Error(fmt::format("shader {}: not SPIR-V", shader_name));
  Module m;
  m.name = shader_name;
  for (size_t i = 5; i < code.size();) {
    const uint32_t count = code[i] >> 16, op = code[i] & 0xffffu;
    if (count == 0 || i + count > code.size()) throw Error(fmt::format("shader {}: truncated SPIR-V", shader_name));
    const uint32_t* w = &code[i];
    switch (op) {
      case OpTypeInt: case OpTypeFloat: case OpTypeVector: case OpTypeArray: case OpTypeStruct: case OpTypePointer:
        m.types[w[1]] = {w + 0, w + count};
        m.types[w[1]][0] = op;
        break;
      case OpName: m.names[w[1]] = literal(w + 2, count - 2); break;
      case OpMemberName: m.member_names[{w[1], w[2]}] = literal(w + 3, count - 3); break;
      case OpConstant: m.constants[w[2]] = w[3]; break;
      case OpVariable: m.variables.push_back({w[1], w[2], w[3]}); break;
      case OpDecorate:
        if (w[2] == ArrayStride) m.array_strides[w[1]] = w[3];
        if (w[2] == Binding) m.bindings[w[1]] = w[3];
        if (w[2] == SpecId) m.spec_ids.insert(w[3]);
        break;
      case OpMemberDecorate:
        if (w[3] == Offset) m.member_offsets[{w[1], w[2]}] = w[4];
        break;
      default: break;
    }
    i += count;
  }
  ShaderInterface out;
  std::vector<uint32_t> bindings;
  for (const auto& v : m.variables) {
    if (v.storage == PushConstant) {
      const uint32_t block = m.types.at(v.pointer_type)[3];
      out.push_constant_bytes = m.size_of(block);
      out.push_block = m.names[block];
      for (uint32_t i = 0; i + 2 < m.types.at(block).size(); ++i)
        out.push_members.push_back({m.member_names[{block, i}], m.member_offsets.at({block, i})});
    }
    if (v.storage == StorageBuffer || v.storage == Uniform) bindings.push_back(m.bindings.at(v.id));
  }
  // The pipeline layout binds buffers 0..n-1 in order, so the shader must number them so.
  std::sort(bindings.begin(), bindings.end());
  for (uint32_t i = 0; i < bindings.size(); ++i)
    if (bindings[i] != i) throw Error(fmt::format("shader {}: buffer bindings must be 0..{}", shader_name, bindings.size() - 1));
  out.storage_buffers = static_cast<uint32_t>(bindings.size());
  out.spec_ids.assign(m.spec_ids.begin(), m.spec_ids.end());
  return out;
}

}  // namespace convscope::vk
