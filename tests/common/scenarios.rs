//! Scenarios covering every generator and manifest feature, for the
//! `generators_match_python` self-test.

use std::path::Path;

use super::{f16_to_f64, Data, Dtype, Json, Manifest, VLEN_STR};

/// Manifests (and their `.expect` files, see [`Manifest::write_expect`])
/// covering every generator and manifest feature: attributes everywhere,
/// every dtype, ramp / strings / values / null, rows_written, fill values,
/// compact and chunked layout (chunks, maxshape, filters), JSON escaping in
/// names. `tests/oracle/crosscheck.py DIR`
/// recomputes every expected byte with check.py and compares.
pub fn write_generator_scenarios(dir: &Path) {
    let color = Dtype::enumeration("i8", &[("RED", 0), ("GREEN", 1), ("BLUE", 2)]);
    let e_u64 = Dtype::enumeration("u64", &[("A", 0), ("B", i64::MAX), ("C", 7)]);
    let e_i16 = Dtype::enumeration("i16", &[("LO", -32768), ("HI", 32767), ("Z", 0)]);
    let inner = Dtype::compound(&[("a", "u8".into()), ("b", "i16".into())]);
    let record = Dtype::compound(&[
        ("x", "f32".into()),
        ("y", "f32".into()),
        ("label", "i64".into()),
        ("hist", Dtype::array("f32", &[4])),
        ("inner", inner.clone()),
    ]);
    let everything = Dtype::compound(&[
        ("u8", "u8".into()),
        ("i16", "i16".into()),
        ("u32", "u32".into()),
        ("i64", "i64".into()),
        ("u64", "u64".into()),
        ("f16", "f16".into()),
        ("f32", "f32".into()),
        ("f64", "f64".into()),
        ("ok", "bool".into()),
        ("color", color.clone()),
        ("big", e_u64.clone()),
        ("m", Dtype::array("i16", &[2, 3])),
        ("pts", Dtype::array(inner.clone(), &[2])),
        ("flags", Dtype::array("bool", &[3])),
        (
            "deep",
            Dtype::compound(&[("e", e_i16.clone()), ("r", record.clone())]),
        ),
    ]);
    let strings = Dtype::compound(&[
        ("tag", Dtype::FixedAscii(3)),
        ("utag", Dtype::FixedUtf8(6)),
        ("n", "u16".into()),
    ]);

    // Every rampable dtype, full / partial / null / scalar / wrapping seeds.
    let mut m = Manifest::unchecked("ramps");
    m.group("g");
    let rampable: Vec<(&str, Dtype)> = vec![
        ("bool", "bool".into()),
        ("f16", "f16".into()),
        ("f32", "f32".into()),
        ("i8", "i8".into()),
        ("u64", "u64".into()),
        ("color", color.clone()),
        ("e_u64", e_u64.clone()),
        ("e_i16", e_i16.clone()),
        ("record", record.clone()),
        ("everything", everything.clone()),
    ];
    for (name, dt) in &rampable {
        m.dataset(
            &format!("g/{name}"),
            dt.clone(),
            &[7, 3],
            Data::Ramp { seed: 3 },
        );
        m.dataset(
            &format!("g/{name}_wrap"),
            dt.clone(),
            &[50],
            Data::Ramp { seed: u64::MAX - 5 },
        );
        m.dataset(
            &format!("g/{name}_hi"),
            dt.clone(),
            &[],
            Data::Ramp { seed: 1 << 63 },
        );
        m.dataset(
            &format!("g/{name}_rows"),
            dt.clone(),
            &[5, 2],
            Data::RampRows {
                seed: 9,
                rows_written: 2,
            },
        );
        m.dataset(&format!("g/{name}_null"), dt.clone(), &[3], Data::Null);
    }
    m.dataset("f16_long", "f16", &[5000], Data::Ramp { seed: 0 });
    m.write(dir);
    m.write_expect(dir);

    // Explicit values, including f16 rounding: every value below is checked
    // against numpy's float16 conversion.
    let mut m = Manifest::unchecked("values");
    let mut tricky = vec![
        0.1,
        65504.0,
        65519.0,
        65520.0,
        1e-8,
        6e-8,
        -0.0,
        2.980_232_238_769_531_2e-8,
        8.940_696_716_308_594e-8,
        1.0,
        -2.5,
        1e300,
        -1e300,
        6.097_555_160_522_461e-5,
        6.103_515_625e-5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        5e-324,
    ];
    // Exact midpoints between neighbouring f16 values (ties to even) and
    // their f64 neighbours, over the whole range.
    for h in (0u16..0x7c00).step_by(97) {
        let (a, b) = (f16_to_f64(h), f16_to_f64(h + 1));
        let mid = (a + b) / 2.0;
        tricky.extend([
            mid,
            f64::from_bits(mid.to_bits() + 1),
            f64::from_bits(mid.to_bits() - 1),
            -mid,
        ]);
    }
    m.dataset(
        "f16",
        "f16",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "f32",
        "f32",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "f64",
        "f64",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "ints",
        "i64",
        &[4],
        Data::Values(vec![
            i64::MIN.into(),
            i64::MAX.into(),
            (-1i64).into(),
            0i64.into(),
        ]),
    );
    m.dataset(
        "u64",
        "u64",
        &[2],
        Data::Values(vec![u64::MAX.into(), (1u64 << 63).into()]),
    );
    m.dataset(
        "int_as_f16",
        "f16",
        &[2],
        Data::Values(vec![Json::Int(65519), Json::Int(-3)]),
    );
    m.dataset(
        "bool",
        "bool",
        &[3],
        Data::Values(vec![true.into(), false.into(), true.into()]),
    );
    m.dataset(
        "color",
        color.clone(),
        &[3],
        Data::Values(vec!["BLUE".into(), 0i8.into(), "GREEN".into()]),
    );
    m.dataset(
        "ascii",
        Dtype::FixedAscii(4),
        &[3],
        Data::Strings(vec!["".into(), "abcd".into(), "x\"\\".into()]),
    );
    m.dataset(
        "utf8",
        Dtype::FixedUtf8(7),
        &[2, 1],
        Data::Values(vec!["ü€".into(), "漢字".into()]),
    );
    m.dataset(
        "vlen",
        VLEN_STR,
        &[3],
        Data::ValuesRows {
            values: vec!["a\u{1}".into(), "ß".into()],
            rows_written: 2,
        },
    );
    let rec = |x: f32, l: i64| {
        Json::arr([
            Json::from(x),
            Json::from(-x),
            Json::from(l),
            Json::arr([0.5, 1.5, 2.5, 3.5]),
            Json::arr([Json::from(255u8), Json::from(-7i16)]),
        ])
    };
    m.dataset(
        "record",
        record.clone(),
        &[2],
        Data::Values(vec![rec(1.25, -3), rec(0.1, i64::MAX)]),
    );
    m.dataset(
        "record_rows",
        record.clone(),
        &[3],
        Data::ValuesRows {
            values: vec![rec(2.0, 1)],
            rows_written: 1,
        },
    );
    m.fill_value(rec(-1.0, 42));
    m.dataset(
        "strings",
        strings.clone(),
        &[2],
        Data::Values(vec![
            Json::arr([Json::from("ab"), Json::from("ü€"), Json::from(7u16)]),
            Json::arr([Json::from(""), Json::from(""), Json::from(0u16)]),
        ]),
    );
    m.write(dir);
    m.write_expect(dir);

    // Fill values and compact layout.
    let mut m = Manifest::unchecked("fill_compact");
    m.dataset(
        "i32",
        "i32",
        &[4, 2],
        Data::RampRows {
            seed: 1,
            rows_written: 1,
        },
    )
    .fill(-7.0);
    m.dataset("u64", "u64", &[3], Data::Null)
        .fill_value(u64::MAX.into());
    m.dataset("f16", "f16", &[3], Data::Null).fill(0.1);
    m.dataset("f32", "f32", &[3], Data::Null)
        .fill(-1.5)
        .compact();
    m.dataset("bool", "bool", &[2], Data::Null).fill(1.0);
    m.dataset(
        "color",
        color.clone(),
        &[4],
        Data::RampRows {
            seed: 2,
            rows_written: 3,
        },
    )
    .fill(2.0);
    m.dataset("color_name", color.clone(), &[2], Data::Null)
        .fill_value("GREEN".into());
    m.dataset("ascii", Dtype::FixedAscii(3), &[2], Data::Null)
        .fill_value("zz".into());
    m.dataset(
        "everything",
        everything.clone(),
        &[2],
        Data::Ramp { seed: 5 },
    )
    .compact();
    m.dataset("scalar", "i16", &[], Data::Null)
        .fill(-1.0)
        .compact();
    m.dataset("plain", "u8", &[2], Data::Null).compact();
    m.write(dir);
    m.write_expect(dir);

    // Chunked layout: chunk shapes, maxshape (unlimited, fixed, grown),
    // every filter, fill values and partial writes in chunks.
    let mut m = Manifest::unchecked("chunked");
    m.dataset("edge", "i32", &[7, 5], Data::Ramp { seed: 1 })
        .chunks(&[3, 2]);
    m.dataset(
        "all_filters",
        record.clone(),
        &[10],
        Data::RampRows {
            seed: 2,
            rows_written: 7,
        },
    )
    .chunks(&[4])
    .shuffle()
    .deflate(9)
    .fletcher32()
    .fill_value(rec(0.5, -1));
    m.dataset("grown", "u16", &[5, 3], Data::Ramp { seed: 3 })
        .chunks(&[2, 3])
        .maxshape(&[None, Some(3)]);
    m.dataset("empty", "f64", &[0, 4], Data::Null)
        .chunks(&[8, 4])
        .maxshape(&[None, Some(6)])
        .deflate(0);
    m.dataset(
        "names",
        VLEN_STR,
        &[3],
        Data::Strings(vec!["a".into(), "ü".into(), "".into()]),
    )
    .chunks(&[2])
    .fletcher32();
    m.dataset("same_max", "u8", &[4], Data::Null)
        .maxshape(&[Some(4)])
        .fill(7.0);
    m.no_twin(); // h5py refuses fletcher32 for vlen strings
    m.write(dir);
    m.write_expect(dir);

    // Attributes on the root, groups and datasets; names that JSON escapes.
    let mut m = Manifest::unchecked("attrs \"q\" \\ ü");
    m.root_attr("units", VLEN_STR, &[], Data::Strings(vec!["kelvin".into()]))
        .root_attr(
            "names",
            VLEN_STR,
            &[2, 2],
            Data::Strings(vec!["a".into(), "\u{7f}x".into(), "ü".into(), "".into()]),
        )
        .root_attr("count", "i64", &[], Data::Values(vec![3i64.into()]))
        .root_attr("none", "f32", &[0], Data::Values(vec![]))
        .root_attr("größe \"\\", "u8", &[3], Data::Ramp { seed: 1 });
    m.group("g \u{1}");
    m.attr(
        "g \u{1}",
        "everything",
        everything.clone(),
        &[2],
        Data::Ramp { seed: 8 },
    )
    .attr(
        "g \u{1}",
        "color",
        color.clone(),
        &[],
        Data::Values(vec!["RED".into()]),
    )
    .attr("g \u{1}", "half", "f16", &[4], Data::Ramp { seed: 2 })
    .attr(
        "g \u{1}",
        "label",
        Dtype::FixedUtf8(8),
        &[],
        Data::Strings(vec!["漢".into()]),
    );
    m.dataset("g \u{1}/x", "f64", &[2], Data::Ramp { seed: 4 });
    m.attr(
        "g \u{1}/x",
        "rec",
        record.clone(),
        &[],
        Data::Values(vec![rec(3.0, 3)]),
    )
    .attr(
        "g \u{1}/x",
        "strings",
        strings.clone(),
        &[1],
        Data::Values(vec![Json::arr([
            Json::from("x"),
            Json::from("y"),
            Json::from(1u16),
        ])]),
    );
    m.attr("", "late_root", "bool", &[2], Data::Ramp { seed: 3 });
    m.no_twin();
    m.write(dir);
    m.write_expect(dir);
}
